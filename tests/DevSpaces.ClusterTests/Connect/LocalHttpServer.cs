using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>A small HTTP server on loopback standing in for the developer's local process.</summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerRequest, Task<(int Status, string Body)>> handle;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int requests;

    public LocalHttpServer(Func<HttpListenerRequest, Task<(int Status, string Body)>> handle)
    {
        this.handle = handle;
        Port = FreePort();
        // Any Host header: cluster clients call it by the service name.
        listener.Prefixes.Add($"http://*:{Port}/");
        listener.Start();
        loop = ServeAsync();
    }

    /// <summary>What <see cref="AnsweringAsLocalProcess"/> answers: the sample API's shape, with hostname <c>local-process</c>.</summary>
    public const string LocalProcessAnswer = """{"service":"api","hostname":"local-process"}""";

    public int Port { get; }

    public int Requests => Volatile.Read(ref requests);

    /// <summary>A server that answers every request with <see cref="LocalProcessAnswer"/>.</summary>
    public static LocalHttpServer AnsweringAsLocalProcess() => new(_ => Task.FromResult((200, LocalProcessAnswer)));

    public static int FreePort() => DevSpaces.Tests.Support.LoopbackPorts.Free();

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref requests);
            var (status, body) = await handle(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Close();
        await loop;
        stop.Dispose();
    }
}
