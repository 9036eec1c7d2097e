using System.Net;
using System.Net.Sockets;
using DevSpaces.Core.Logging;
using LogLevel = DevSpaces.Core.Logging.LogLevel;
using DevSpaces.Core.Routing;

namespace DevSpaces.Router;

/// <summary>
/// A routed Service's non-HTTP port: every connection is carried to the baseline untouched (there is no request
/// to read a key from). Runs until cancelled; each connection ends with either side.
/// </summary>
public static class TcpPassThrough
{
    public static async Task RunAsync(RoutedPort port, ClusterRoutes routes, ILog log, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Any, port.Listen);
        listener.Start();
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(CarryAsync(client, port, routes, log, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            await Task.WhenAll(connections).ConfigureAwait(false);
        }
    }

    private static async Task CarryAsync(TcpClient client, RoutedPort port, ClusterRoutes routes, ILog log, CancellationToken cancellationToken)
    {
        using (client)
        {
            var address = routes.Current.Decide(port, null).Address;
            if (address is null || !IPEndPoint.TryParse(address, out var target))
            {
                return;
            }

            using var backend = new TcpClient();
            try
            {
                await backend.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
                var a = client.GetStream();
                var b = backend.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var up = PumpAsync(a, b, backend.Client, done.Token);
                var down = PumpAsync(b, a, client.Client, done.Token);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                log.Write(LogLevel.Debug, $"tcp {port.Service}:{port.Port}: {e.Message}");
            }
        }
    }

    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket, CancellationToken cancellationToken)
    {
        await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        toSocket.Shutdown(SocketShutdown.Send);
    }
}
