using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.PortForwarding;

/// <summary>Access to the real test cluster and the engine it shares, for the port-forward and image tests.</summary>
public static class TestCluster
{
    public static string KubeconfigPath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("DEVSPACES_TEST_KUBECONFIG") ?? Environment.GetEnvironmentVariable("KUBECONFIG");
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                Assert.Fail("No test cluster: set DEVSPACES_TEST_KUBECONFIG (or KUBECONFIG) to the path printed on the last line of `bash tests/cluster/up` (run it first).");
            }

            return path!;
        }
    }

    public static Kubernetes Connect() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DevSpaces.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("The tests run outside the repository: DevSpaces.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public static async Task<V1Namespace> CreateNamespaceAsync(IKubernetes client, string prefix)
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = UniqueName(prefix), Labels = new Dictionary<string, string> { ["devspaces.io/test"] = "true" } } };
        return await client.CoreV1.CreateNamespaceAsync(ns);
    }

    public static async Task DeleteNamespaceAsync(IKubernetes client, string name)
    {
        try
        {
            await client.CoreV1.DeleteNamespaceAsync(name, new V1DeleteOptions { PropagationPolicy = "Background" });
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Polls a condition until it holds; fails with <paramref name="reason"/> on timeout.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string reason)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(200, cts.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {reason}.");
            }
        }
    }
}
