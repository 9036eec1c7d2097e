using DevSpaces.ClusterTests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.PortForwarding;

/// <summary>Access to the real test cluster and the engine it shares, for the port-forward and image tests.</summary>
public static class TestCluster
{
    public static string KubeconfigPath => Support.TestCluster.FindKubeconfig();

    public static Kubernetes Connect() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    public static string RepositoryRoot => Support.TestCluster.RepositoryRoot;

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

    /// <summary>Re-checks a condition until it holds; fails with <paramref name="reason"/> on timeout.</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string reason) =>
        ClusterWaits.ConditionAsync(condition, timeout, () => reason);
}
