namespace DevSpaces.Core.Rpc;

/// <summary>Sends notifications (names from <c>RpcNotifications</c>) to the connected client, if any.</summary>
public interface IClientNotifier
{
    Task NotifyAsync(string method, object parameters);
}
