using DevSpaces.ClusterTests.Support;

namespace DevSpaces.ClusterTests.Harness;

/// <summary>The harness that brings the local cluster up is idempotent and reports its state.</summary>
[TestFixture]
public sealed class ClusterHarnessTests
{
    private static readonly string ClusterDir = Path.Combine(TestCluster.RepositoryRoot, "tests", "cluster");

    [Test]
    public async Task Up_On_A_Running_Cluster_Starts_Nothing_And_Prints_The_Kubeconfig_Last()
    {
        using var cluster = await TestCluster.ConnectAsync();
        var runDir = Path.Combine(Path.GetDirectoryName(cluster.KubeconfigPath)!, "run");
        var before = ReadPidFiles(runDir);

        var (exitCode, stdout, stderr) = await ScriptRunner.RunAsync("bash", [Path.Combine(ClusterDir, "up")], TimeSpan.FromMinutes(3));

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout.TrimEnd().Split('\n')[^1], Is.EqualTo("KUBECONFIG=" + cluster.KubeconfigPath));
        Assert.That(stderr, Does.Not.Contain("started "), "a second 'up' must not start any process");
        Assert.That(ReadPidFiles(runDir), Is.EqualTo(before));
    }

    [Test]
    public async Task Status_Lists_Every_Component_Running_And_The_Node_Ready()
    {
        using var cluster = await TestCluster.ConnectAsync();

        var (exitCode, stdout, _) = await ScriptRunner.RunAsync("bash", [Path.Combine(ClusterDir, "status")], TimeSpan.FromMinutes(1));

        Assert.That(exitCode, Is.Zero, stdout);
        foreach (var component in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "dnsmasq" })
        {
            Assert.That(stdout, Does.Match($@"(?m)^{component}\s+running"), component);
        }

        Assert.That(stdout, Does.Match(@"(?m)^node \S+\s+True$"));
    }

    private static Dictionary<string, string> ReadPidFiles(string runDir) =>
        Directory.GetFiles(runDir, "*.pid").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f).Trim());
}
