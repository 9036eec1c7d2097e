using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DevSpaces.ClusterTests.Support;

namespace DevSpaces.ClusterTests.Watch;

/// <summary>
/// Compacts the local cluster's etcd and restarts its API server, so that every resourceVersion read before is older
/// than the new server's watch cache: a watch resumed from one gets 410 Gone. Only for tests holding the cluster lock.
/// </summary>
public static class ApiServerRestart
{
    private static readonly string ClusterDir = Path.Combine(TestCluster.RepositoryRoot, "tests", "cluster");

    /// <summary>The harness's etcd (tests/cluster/lib/common.sh: ETCD_CLIENT_PORT), through its JSON gateway.</summary>
    private static readonly Uri Etcd = new("http://127.0.0.1:23790/");

    public static async Task CompactAndRestartAsync()
    {
        using var http = new HttpClient { BaseAddress = Etcd, Timeout = TimeSpan.FromSeconds(20) };
        var range = await http.PostAsJsonAsync("v3/kv/range", new { key = Convert.ToBase64String("/"u8.ToArray()) });
        range.EnsureSuccessStatusCode();
        var revision = JsonNode.Parse(await range.Content.ReadAsStringAsync())!["header"]!["revision"]!.GetValue<string>();
        var compaction = await http.PostAsJsonAsync("v3/kv/compaction", new { revision, physical = true });
        Assert.That(compaction.IsSuccessStatusCode, Is.True, $"etcd compaction at revision {revision}: {await compaction.Content.ReadAsStringAsync()}");

        // Stopped the harness's way (its PID file, under its lock), and started again by 'up', which starts what is missing.
        var stop = await ScriptRunner.RunAsync("bash", ["-c", $"source '{ClusterDir}/lib/common.sh' && exec 9>\"$STATE/up.lock\" && flock -w 600 9 && stop_process kube-apiserver"], TimeSpan.FromMinutes(1));
        Assert.That(stop.ExitCode, Is.Zero, stop.Stderr);
        var up = await ScriptRunner.RunAsync("bash", [Path.Combine(ClusterDir, "up")], TimeSpan.FromMinutes(3));
        Assert.That(up.ExitCode, Is.Zero, up.Stderr);
        Assert.That(up.Stderr, Does.Contain("started kube-apiserver"), "the API server was started again");
    }
}
