using System.Net;
using DevSpaces.Core.Images;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.PortForwarding;

/// <summary>Builds the test server image with our own image pipeline and runs it as a Deployment + Service.</summary>
public static class TestServerDeployment
{
    public const string Name = "echo";
    public const int EchoPort = 7000;
    public const int SourcePort = 7001;
    public const int HttpPort = 8080;

    public static async Task<string> BuildImageAsync(CancellationToken cancellationToken)
    {
        using var docker = DockerEngine.Connect();
        var request = new ImageBuildRequest(Path.Combine(TestCluster.RepositoryRoot, "tests/DevSpaces.ClusterTests/PortForwarding/TestServer"), "devspaces-test/port-forward-server")
        {
            BuildArgs = new Dictionary<string, string> { ["BASE"] = "devspaces.local/node:20" },
        };
        var result = await new ImageBuilder(docker).BuildAsync(request, null, cancellationToken);
        return result.Reference;
    }

    /// <summary>A new test namespace (<paramref name="prefix"/>-…) with the test server running in it; returns its name.</summary>
    public static async Task<string> DeployInNewNamespaceAsync(IKubernetes client, string prefix)
    {
        var ns = (await TestCluster.CreateNamespaceAsync(client, prefix)).Metadata.Name;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await DeployAsync(client, ns, await BuildImageAsync(cts.Token), cts.Token);
        return ns;
    }

    /// <summary>One GET on a fresh connection (so each request goes through the forward's choice of pod); returns the body.</summary>
    public static async Task<string> GetAsync(IPEndPoint endpoint, string path, TimeSpan timeout)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        using var http = new HttpClient(handler) { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}{path}");
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task DeployAsync(IKubernetes client, string ns, string image, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { ["app"] = Name };
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = Name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        TerminationGracePeriodSeconds = 1,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "server",
                                Image = image,
                                ImagePullPolicy = "IfNotPresent",
                                Ports =
                                [
                                    new V1ContainerPort { Name = "echo", ContainerPort = EchoPort },
                                    new V1ContainerPort { Name = "source", ContainerPort = SourcePort },
                                    new V1ContainerPort { Name = "http", ContainerPort = HttpPort },
                                ],
                                ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = HttpPort }, PeriodSeconds = 1 },
                            },
                        ],
                    },
                },
            },
        };
        await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: cancellationToken);
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = Name },
            Spec = new V1ServiceSpec
            {
                Selector = labels,
                Ports =
                [
                    new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" },
                    new V1ServicePort { Name = "echo", Port = 7000, TargetPort = 7000 },
                ],
            },
        };
        await client.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: cancellationToken);
        await TestCluster.WaitUntilAsync(
            async () => (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=" + Name, cancellationToken: cancellationToken))
                .Items.Any(DevSpaces.Core.PortForwarding.PodReadiness.IsReady),
            TimeSpan.FromSeconds(90), $"a test server pod is ready in {ns}");
    }
}
