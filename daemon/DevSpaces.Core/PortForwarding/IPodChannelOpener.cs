namespace DevSpaces.Core.PortForwarding;

/// <summary>Opens connections to pod ports for a forward; a forward disposes an opener that is disposable when it stops.</summary>
public interface IPodChannelOpener
{
    Task<IPodChannel> OpenAsync(string @namespace, string pod, int port, CancellationToken cancellationToken);
}
