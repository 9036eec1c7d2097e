using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using DevSpaces.ClusterTests.Support;
using DevSpaces.ClusterTests.Up;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Debug;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using Docker.DotNet;
using k8s;

namespace DevSpaces.ClusterTests.Debug;

/// <summary>
/// <c>up --debug</c> of a Java service written by <c>prep</c> in its own space: the JDWP handshake through the forward,
/// <c>jdb</c> stops at a breakpoint and reads a local variable of a request, and after a change (compiled here, the JVM restarted)
/// the new JVM is attached through the same local port.
/// </summary>
public class JavaDebugClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static readonly Dictionary<string, string> LocalBases = new() { ["JDK_IMAGE"] = "devspaces.local/java:17", ["JRE_IMAGE"] = "devspaces.local/java:17" };

    private readonly ConcurrentQueue<UpEvent> events = new();
    private UpSpace space = null!;

    private TestCluster cluster => space.Cluster;

    private DockerClient docker => space.Docker;

    private string ns => space.Namespace;

    private string folder => space.Folder;
    private UpSession session = null!;

    private int DebugPort => session.Debug!.LocalPort!.Value;

    [OneTimeSetUp]
    public async Task UpTheServiceInDebugMode()
    {
        using var cts = new CancellationTokenSource(Timeout);
        space = await UpSpace.CreateAsync("debug-java", cts.Token);
        WriteServer("v1");
        ProjectPreparer.Prepare(folder, "hello");
        session = await CreateService().StartAsync(new UpRequest(folder, ns, null, true, LocalBases, new UpDebug(false, 0)), events.Enqueue, cts.Token);
    }

    [OneTimeTearDown]
    public async Task RemoveTheSpace()
    {
        if (session != null)
        {
            await session.DisposeAsync();
        }

        if (space != null)
        {
            await space.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task Up_Debug_Forwards_A_JDWP_Port_That_Answers_The_Handshake()
    {
        Assert.That(session.Debug!.Runtime, Is.EqualTo(DebugRuntime.Java));
        Assert.That(session.Debug.RemotePort, Is.EqualTo(5005));
        await ClusterWaits.ConditionAsync(HandshakeAsync, TimeSpan.FromSeconds(30), () => $"JDWP-Handshake is answered on 127.0.0.1:{DebugPort}");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("hello", ns);
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.That(container.Env.Single(e => e.Name == "JAVA_TOOL_OPTIONS").Value, Is.EqualTo("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005"));
        Assert.That(container.ReadinessProbe, Is.Null, "prep's readiness probe is left out in debug mode");
        Assert.That(container.LivenessProbe, Is.Null);
        Assert.That(container.StartupProbe, Is.Null);
    }

    [Test, Order(2)]
    public async Task Jdb_Stops_At_A_Breakpoint_And_Reads_The_Requests_Path()
    {
        var (jdb, at) = await JdbSession.AttachAsync(DebugPort, TimeSpan.FromSeconds(30));
        using var attached = jdb;
        var line = File.ReadAllLines(Path.Combine(folder, "Hello.java")).ToList().FindIndex(l => l.Contains("byte[] body", StringComparison.Ordinal)) + 1;
        jdb.Send($"stop at Hello:{line}");
        at = await jdb.WaitForAsync("Set breakpoint Hello:" + line, at, TimeSpan.FromSeconds(30));

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var request = http.GetStringAsync(new Uri(new Uri(session.Url!), "/jdb-here"));
        at = await jdb.WaitForAsync("Breakpoint hit", at, TimeSpan.FromSeconds(30));

        // The prompt of the stopped thread ("HTTP-Dispatcher[1] ") says jdb has made it the current one.
        at = await jdb.WaitForAsync("[1] ", at, TimeSpan.FromSeconds(30));
        jdb.Send("print path");
        at = await jdb.WaitForAsync("path = \"/jdb-here\"", at, TimeSpan.FromSeconds(30));
        Assert.That(request.IsCompleted, Is.False, "the request waits at the breakpoint");
        jdb.Send("clear Hello:" + line);
        jdb.Send("cont");
        Assert.That(await request, Is.EqualTo("java v1 /jdb-here"));
        jdb.Send("exit");
    }

    [Test, Order(3)]
    public async Task After_A_Change_Is_Compiled_And_The_JVM_Restarted_The_New_JVM_Is_Attached_Through_The_Same_Port()
    {
        var port = DebugPort;
        var pod = session.Pod;
        var restarts = events.Count(e => e.Kind == UpEventKind.Restarted);
        WriteServer("v2");
        await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Count(e => e.Kind == UpEventKind.Restarted) > restarts), Timeout, () => $"a restart is reported; events: {Describe()}");
        Assert.That(session.Pod, Is.EqualTo(pod), "compiled here: the JVM restarts in the same pod");
        await ClusterWaits.ConditionAsync(HandshakeAsync, TimeSpan.FromSeconds(60), () => $"the new JVM answers JDWP-Handshake on 127.0.0.1:{port}");
        var (jdb, at) = await JdbSession.AttachAsync(port, TimeSpan.FromSeconds(30));
        using var attached = jdb;
        jdb.Send("threads");
        await jdb.WaitForAsync("main", at, TimeSpan.FromSeconds(30));
        jdb.Send("exit");
    }

    /// <summary>The 14-byte JDWP handshake: the debugger sends "JDWP-Handshake", the JVM answers the same bytes.</summary>
    private async Task<bool> HandshakeAsync()
    {
        var hello = Encoding.ASCII.GetBytes("JDWP-Handshake");
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.ConnectAsync("127.0.0.1", DebugPort, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(hello, cts.Token);
            var answer = new byte[hello.Length];
            await stream.ReadExactlyAsync(answer, cts.Token);
            return answer.SequenceEqual(hello);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private UpService CreateService() => space.CreateService();

    private void WriteServer(string version) => File.WriteAllText(Path.Combine(folder, "Hello.java"), $$"""
        import com.sun.net.httpserver.HttpServer;
        import java.net.InetSocketAddress;

        public class Hello {
            public static void main(String[] args) throws Exception {
                int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
                HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
                server.createContext("/", exchange -> {
                    String path = exchange.getRequestURI().getPath();
                    byte[] body = ("java {{version}} " + path).getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.start();
            }
        }
        """);

    private string Describe() => string.Join(" | ", events.Where(e => e.Kind is not UpEventKind.Build).TakeLast(30).Select(e => $"{e.Kind}: {e.Message}"));
}
