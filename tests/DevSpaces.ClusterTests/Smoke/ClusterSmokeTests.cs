using System.Text;
using DevSpaces.ClusterTests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Smoke;

/// <summary>
/// The test cluster does what every DevSpaces feature relies on: local images run, exec, logs,
/// port-forward, ClusterIPs and DNS by short name.
/// </summary>
[TestFixture]
public sealed class ClusterSmokeTests
{
    private const string NodeImage = "devspaces.local/node:20";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private const string WebServer = """
        const http = require('http'), os = require('os');
        http.createServer((req, res) => {
          console.log('request ' + req.url);
          res.setHeader('content-type', 'text/plain');
          res.end('hello from ' + os.hostname() + ' ' + req.url + '\n');
        }).listen(8080, () => console.log('listening on 8080'));
        process.on('SIGTERM', () => process.exit(0));
        """;

    private const string Idle = "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30);";

    private TestCluster cluster = null!;
    private string ns = null!;

    [OneTimeSetUp]
    public async Task StartWorkloads()
    {
        cluster = await TestCluster.ConnectAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        ns = await cluster.CreateNamespaceAsync("smoke", cts.Token);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(NodeDeployment("web", WebServer), ns, cancellationToken: cts.Token);
        await cluster.Client.AppsV1.CreateNamespacedDeploymentAsync(NodeDeployment("client", Idle), ns, cancellationToken: cts.Token);
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "web" },
                Spec = new V1ServiceSpec
                {
                    Selector = new Dictionary<string, string> { ["app"] = "web" },
                    Ports = [new V1ServicePort { Port = 80, TargetPort = 8080, Name = "http" }],
                },
            },
            ns,
            cancellationToken: cts.Token);
    }

    [OneTimeTearDown]
    public async Task RemoveWorkloads()
    {
        if (ns is not null)
        {
            await cluster.DeleteNamespaceAsync(ns);
        }

        cluster?.Dispose();
    }

    [Test]
    public async Task A_Namespace_Can_Be_Created_Labelled_And_Deleted()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var name = await cluster.CreateNamespaceAsync("smoke-ns", cts.Token);
        try
        {
            var created = await cluster.Client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cts.Token);
            Assert.That(created.Status.Phase, Is.EqualTo("Active"));
            Assert.That(created.Metadata.Labels, Does.ContainKey("devspaces.io/test"));

            await cluster.Client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: cts.Token);
            var deleting = await cluster.Client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cts.Token);
            Assert.That(deleting.Status.Phase, Is.EqualTo("Terminating"));
        }
        finally
        {
            await cluster.DeleteNamespaceAsync(name);
        }
    }

    [Test]
    public async Task A_Deployment_From_A_Local_Image_Becomes_Ready()
    {
        var deployment = await ClusterWaits.DeploymentReadyAsync(cluster.Client, ns, "web", ReadyTimeout);
        var pod = await ReadyPodAsync("web");

        Assert.That(deployment.Status.AvailableReplicas, Is.EqualTo(1));
        Assert.That(pod.Spec.Containers[0].Image, Is.EqualTo(NodeImage));
        Assert.That(pod.Status.ContainerStatuses[0].Ready, Is.True);
    }

    [Test]
    public async Task Exec_Returns_The_Commands_Output_And_Exit_Code()
    {
        var pod = await ReadyPodAsync("web");

        var ok = await PodCommands.ExecAsync(cluster.Client, ns, pod.Metadata.Name, "main",
            ["node", "-e", "console.log('out:' + (6 * 7)); console.error('err:x')"], CommandTimeout);
        var failing = await PodCommands.ExecAsync(cluster.Client, ns, pod.Metadata.Name, "main",
            ["node", "-e", "process.exit(3)"], CommandTimeout);

        Assert.That(ok.ExitCode, Is.Zero);
        Assert.That(ok.StandardOutput.Trim(), Is.EqualTo("out:42"));
        Assert.That(ok.StandardError.Trim(), Is.EqualTo("err:x"));
        Assert.That(failing.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public async Task Logs_Stream_Lines_As_The_Container_Writes_Them()
    {
        var pod = await ReadyPodAsync("web");
        var client = await ReadyPodAsync("client");
        var marker = "/log-marker-" + Guid.NewGuid().ToString("N");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await using var logs = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(
            pod.Metadata.Name, ns, container: "main", follow: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(logs);
        Assert.That(await reader.ReadLineAsync(cts.Token), Is.EqualTo("listening on 8080"),
            "the log stream starts with the server's first line");

        // The request is made after the stream is open, so its line can only arrive by streaming.
        await PodCommands.ExecAsync(cluster.Client, ns, client.Metadata.Name, "main",
            ["node", "-e", $"fetch('http://{pod.Status.PodIP}:8080{marker}').then(r => r.text()).then(console.log)"], CommandTimeout);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(cts.Token);
        }
        while (line is not null && !line.Contains(marker, StringComparison.Ordinal));

        Assert.That(line, Is.EqualTo("request " + marker));
    }

    [Test]
    public async Task A_Port_Forward_Carries_An_Http_Request_To_The_Pod()
    {
        var pod = await ReadyPodAsync("web");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var socket = await cluster.Client.WebSocketNamespacedPodPortForwardAsync(
            pod.Metadata.Name, ns, [8080], "v4.channel.k8s.io", cancellationToken: cts.Token);
        using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        demuxer.Start();
        await using var stream = demuxer.GetStream((byte?)0, (byte?)0);
        var request = Encoding.ASCII.GetBytes("GET /through-port-forward HTTP/1.0\r\nHost: web\r\n\r\n");
        await stream.WriteAsync(request, cts.Token);
        var response = await ReadUntilAsync(stream, "/through-port-forward\n", cts.Token);

        Assert.That(response, Does.StartWith("HTTP/1.1 200 OK"));
        Assert.That(response, Does.Contain($"hello from {pod.Metadata.Name} /through-port-forward"));
    }

    [Test]
    public async Task A_Services_ClusterIP_Answers_From_Another_Pod()
    {
        await ClusterWaits.EndpointsReadyAsync(cluster.Client, ns, "web", ReadyTimeout);
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("web", ns);
        var client = await ReadyPodAsync("client");

        var result = await PodCommands.ExecAsync(cluster.Client, ns, client.Metadata.Name, "main",
            ["node", "-e", $"fetch('http://{service.Spec.ClusterIP}/by-cluster-ip').then(r => r.text()).then(t => console.log(t.trim()))"],
            CommandTimeout);

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        Assert.That(result.StandardOutput, Does.Match(@"^hello from web-[a-z0-9-]+ /by-cluster-ip\s*$"));
    }

    [Test]
    public async Task Dns_Resolves_A_Short_Service_Name_From_A_Pod()
    {
        await ClusterWaits.EndpointsReadyAsync(cluster.Client, ns, "web", ReadyTimeout);
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("web", ns);
        var client = await ReadyPodAsync("client");

        // The DNS records follow the Service list through a watch; allow them a moment to appear.
        var lookup = await RetryUntilAsync(
            () => PodCommands.ExecAsync(cluster.Client, ns, client.Metadata.Name, "main",
                ["node", "-e", "require('dns').lookup('web', { family: 4 }, (e, a) => { if (e) { console.error(e.code); process.exit(1); } console.log(a); })"],
                CommandTimeout),
            r => r.ExitCode == 0,
            TimeSpan.FromSeconds(30),
            "the short name 'web' to resolve in the pod");
        var fetched = await PodCommands.ExecAsync(cluster.Client, ns, client.Metadata.Name, "main",
            ["node", "-e", "fetch('http://web/by-name').then(r => r.text()).then(t => console.log(t.trim()))"], CommandTimeout);

        Assert.That(lookup.StandardOutput.Trim(), Is.EqualTo(service.Spec.ClusterIP));
        Assert.That(fetched.StandardOutput, Does.Contain("/by-name"));
    }

    [Test]
    public async Task A_Pod_Cannot_Reach_A_Host_Outside_The_Cluster_That_The_Machine_Reaches()
    {
        await using var outside = await NamespacedTestHost.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var fromMachine = await http.GetStringAsync($"http://{outside.Address}/from-machine");
        var client = await ReadyPodAsync("client");

        var fromPod = await PodCommands.ExecAsync(cluster.Client, ns, client.Metadata.Name, "main",
            ["node", "-e", $"fetch('http://{outside.Address}/from-pod', {{ signal: AbortSignal.timeout(4000) }}).then(r => console.log('reached ' + r.status), e => {{ console.log('blocked ' + (e.cause?.code ?? e.name)); }})"],
            CommandTimeout);

        Assert.That(fromMachine, Is.EqualTo("reached\n"), "the machine reaches the test host, so a pod could");
        Assert.That(fromPod.StandardOutput.Trim(), Does.StartWith("blocked"), $"a pod reached {outside.Address}, outside the cluster");
        Assert.That(outside.Connections, Has.Count.EqualTo(1), "the test host saw a connection other than the machine's");
    }

    private async Task<V1Pod> ReadyPodAsync(string app)
    {
        await ClusterWaits.DeploymentReadyAsync(cluster.Client, ns, app, ReadyTimeout);
        var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"app={app}");
        return pods.Items.First(p => p.Metadata.DeletionTimestamp is null
                                     && p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
    }

    private static V1Deployment NodeDeployment(string app, string script) => new()
    {
        Metadata = new V1ObjectMeta { Name = app },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
                Spec = new V1PodSpec
                {
                    TerminationGracePeriodSeconds = 2,
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "main",
                            Image = NodeImage,
                            ImagePullPolicy = "Never",
                            Command = ["node", "-e", script],
                        },
                    ],
                },
            },
        },
    };

    private static async Task<string> ReadUntilAsync(Stream stream, string terminator, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(terminator, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>Repeats an idempotent probe until it succeeds; for state that converges asynchronously.</summary>
    private static async Task<T> RetryUntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await probe();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}; last result: {last}");
            }

            last = await probe();
        }

        return last;
    }
}
