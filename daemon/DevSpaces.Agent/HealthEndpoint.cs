using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DevSpaces.Agent;

/// <summary>
/// Answers the pod's liveness and readiness probes itself, so a local process paused in a debugger never makes
/// the kubelet restart anything.
/// </summary>
public sealed class HealthEndpoint(int port, Action<string> log)
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        listener.Start();
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(2));
                    var stream = client.GetStream();
                    var buffer = new byte[1024];
                    _ = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    await stream.WriteAsync(Ok, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    log($"probe connection failed: {e.Message}");
                }
            }
        }
        finally
        {
            listener.Stop();
        }
    }
}
