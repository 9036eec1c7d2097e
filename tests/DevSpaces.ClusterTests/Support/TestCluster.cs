using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Support;

/// <summary>
/// The real local cluster the tests run against, found through <c>DEVSPACES_TEST_KUBECONFIG</c>
/// (or <c>KUBECONFIG</c>). Missing or unreachable clusters fail the test with what to do.
/// </summary>
public sealed class TestCluster : IDisposable
{
    private TestCluster(string kubeconfigPath, Kubernetes client)
    {
        KubeconfigPath = kubeconfigPath;
        Client = client;
    }

    public string KubeconfigPath { get; }

    public Kubernetes Client { get; }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Connects and checks that the API server answers and the node is Ready.</summary>
    /// <summary>The kubeconfig from <c>DEVSPACES_TEST_KUBECONFIG</c>, else <c>KUBECONFIG</c>; fails the test when neither names a file.</summary>
    public static string FindKubeconfig()
    {
        var path = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG");
        if (string.IsNullOrEmpty(path))
        {
            path = Environment.GetEnvironmentVariable("KUBECONFIG");
        }

        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            Assert.Fail("No test cluster: set DEVSPACES_TEST_KUBECONFIG to the kubeconfig that " +
                        "'sudo tests/cluster/up' prints on its last line (KUBECONFIG=...), or run the tests with bin/test.");
        }

        return path!;
    }

    public static async Task<TestCluster> ConnectAsync()
    {
        var path = FindKubeconfig();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        config.HttpClientTimeout = TimeSpan.FromSeconds(30);
        var client = new Kubernetes(config);
        var cluster = new TestCluster(path, client);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: timeout.Token);
            var notReady = nodes.Items.Where(n => !IsReady(n)).Select(Describe).ToList();
            if (nodes.Items.Count == 0 || notReady.Count > 0)
            {
                cluster.Dispose();
                Assert.Fail("The test cluster's node is not Ready (is the kubelet running? see 'sudo tests/cluster/status'): " +
                            (nodes.Items.Count == 0 ? "no node registered" : string.Join("; ", notReady)));
            }

            // A stopped kubelet leaves the node Ready for up to 40 s; its lease says so at once.
            var leases = await client.CoordinationV1.ListNamespacedLeaseAsync("kube-node-lease", cancellationToken: timeout.Token);
            var stale = leases.Items
                .Select(l => (l.Metadata.Name, Age: DateTime.UtcNow - (l.Spec.RenewTime ?? DateTime.MinValue)))
                .Where(l => l.Age > TimeSpan.FromSeconds(25))
                .ToList();
            if (stale.Count > 0)
            {
                cluster.Dispose();
                Assert.Fail(string.Join("; ", stale.Select(l => $"The kubelet of node {l.Name} last reported {l.Age.TotalSeconds:0} s ago")) +
                            ": it is not running or cannot reach the API server. See 'sudo tests/cluster/status' and restart with 'sudo tests/cluster/up'.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or k8s.Autorest.HttpOperationException)
        {
            cluster.Dispose();
            Assert.Fail($"The test cluster's API server ({config.Host}) does not answer: {e.Message}. " +
                        "Start it with 'sudo tests/cluster/up'.");
        }

        return cluster;
    }

    /// <summary>Creates a namespace with a unique name that starts with <paramref name="prefix"/>.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 9, 63)];
        await Client.CoreV1.CreateNamespaceAsync(
            new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["devspaces.io/test"] = "true" } } },
            cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>Deletes a namespace; a namespace already gone is fine.</summary>
    public async Task DeleteNamespaceAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Client.CoreV1.DeleteNamespaceAsync(name, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: timeout.Token);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    public void Dispose() => Client.Dispose();

    private static bool IsReady(V1Node node) =>
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string Describe(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        return $"node {node.Metadata.Name} Ready={ready?.Status ?? "unknown"} ({ready?.Reason}: {ready?.Message})";
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DevSpaces.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DevSpaces.sln not found above " + AppContext.BaseDirectory);
    }
}
