namespace DevSpaces.Core.Rpc;

/// <summary>For the CLI: there is no client to tell.</summary>
public sealed class NoClientNotifier : IClientNotifier
{
    public Task NotifyAsync(string method, object parameters) => Task.CompletedTask;
}
