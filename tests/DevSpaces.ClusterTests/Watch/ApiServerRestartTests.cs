using System.Net;
using DevSpaces.ClusterTests.PortForwarding;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Watch;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;
using TestCluster = DevSpaces.ClusterTests.PortForwarding.TestCluster;

namespace DevSpaces.ClusterTests.Watch;

/// <summary>
/// The one list-then-watch against the real API server when a resourceVersion is too old (410 Gone after a compaction
/// and a restart), reading through the daemon's own API client as the space watch does, and a running port forward
/// (KubernetesClient's watch) across that restart.
/// </summary>
[NonParallelizable]
public sealed class ApiServerRestartTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private Kubernetes client = null!;
    private string ns = "";

    [OneTimeSetUp]
    public async Task DeployTestServer()
    {
        client = TestCluster.Connect();
        ns = await TestServerDeployment.DeployInNewNamespaceAsync(client, "ds-watch");
    }

    [OneTimeTearDown]
    public async Task DeleteNamespace()
    {
        if (ns.Length > 0)
        {
            await TestCluster.DeleteNamespaceAsync(client, ns);
        }

        client?.Dispose();
    }

    [Test]
    public async Task A_Version_From_Before_A_Compaction_And_Restart_Is_Listed_Again_And_A_Running_Forward_Follows_Its_Pods()
    {
        var forwardEvents = new EventLog();
        var request = new PortForwardRequest(PortForwardTarget.Parse("deployment/echo", ns), [PortMapping.Parse(":8080")]);
        await using var forward = await PortForwardSession.StartAsync(client, new WebSocketPodPortConnector(client), request, forwardEvents, CancellationToken.None);
        var first = await GetAsync(forward.Ports[0].LocalEndPoint, "/pod");
        var kubeconfig = new KubeconfigSource(TestCluster.KubeconfigPath, null, null).Load();
        using var cluster = ClusterConnection.Open(kubeconfig, kubeconfig.CurrentContext!);
        var configMaps = ApiPaths.InNamespace(ns, "configmaps");
        var before = await cluster.Api.GetAsync(configMaps, ApiJson.Default.ApiListApiConfigMap, CancellationToken.None);

        await ApiServerRestart.CompactAndRestartAsync();

        // A watch from the list read before the restart: the server answers 410, and the helper lists again.
        var source = new RecordingSource(
            ApiWatchSource<ApiConfigMap>.Of(() => cluster, new ClusterOperation("list", "configmaps"), configMaps, ApiJson.Default.ApiListApiConfigMap, ApiJson.Default.ApiConfigMap, 60),
            (before.Items, before.Metadata.ResourceVersion));
        var changes = new Signal<string>();
        await using (ListWatch<ApiConfigMap>.Start(
            "configmaps",
            source,
            new WatchHandlers<ApiConfigMap>(
                (items, _) => Record(changes, $"listed {items.Count}"),
                (type, item, _) => Record(changes, $"{type} {item.Metadata.Name}"),
                (e, _, _) => Record(changes, $"failed {e.Message}")),
            new NullLog()))
        {
            await source.Calls.WaitForAsync(c => c.StartsWith("expired", StringComparison.Ordinal), Timeout, "the watch from the old version to be refused as too old");
            await changes.WaitForAsync(c => c.StartsWith("listed", StringComparison.Ordinal), Timeout, "the list read again", from: 1);
            await source.Calls.WaitForAsync(c => c.StartsWith("watch", StringComparison.Ordinal), Timeout, "a watch from the new list", from: 2);
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after-restart" } }, ns);
            await changes.WaitForAsync(c => c == "Added after-restart", Timeout, "the new ConfigMap seen by the watch after listing again");
            Assert.That(source.Calls.Snapshot().Take(3), Is.EqualTo(new[] { $"watch {before.Metadata.ResourceVersion}", $"expired {before.Metadata.ResourceVersion}", "list" }));
        }

        // The forward's own watch went through the same restart: a replaced pod is still followed.
        await client.CoreV1.DeleteNamespacedPodAsync(first, ns);
        var switched = await forwardEvents.WaitForAsync(e => e.Kind == ForwardEventKind.PodSwitched && e.PreviousPod == first, Timeout, "the forward to follow the replacement pod after the restart");
        Assert.That(await GetAsync(forward.Ports[0].LocalEndPoint, "/pod"), Is.EqualTo(switched.Pod));
    }

    private static Task Record(Signal<string> signal, string what)
    {
        TestContext.Progress.WriteLine($"[watch] {what}");
        signal.Add(what);
        return Task.CompletedTask;
    }

    private static Task<string> GetAsync(IPEndPoint endpoint, string path) => TestServerDeployment.GetAsync(endpoint, path, Timeout);

    /// <summary>The real source, whose first list is one read earlier (before the restart); records the calls and the 410s.</summary>
    private sealed class RecordingSource(IWatchSource<ApiConfigMap> real, (IReadOnlyList<ApiConfigMap> Items, string ResourceVersion) earlier) : IWatchSource<ApiConfigMap>
    {
        private int lists;

        public Signal<string> Calls { get; } = new();

        public Task<(IReadOnlyList<ApiConfigMap> Items, string ResourceVersion)> ListAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref lists) == 1)
            {
                return Task.FromResult(earlier);
            }

            Calls.Add("list");
            return real.ListAsync(cancellationToken);
        }

        public string? VersionOf(ApiConfigMap item) => real.VersionOf(item);

        public async IAsyncEnumerable<(WatchEventKind Kind, ApiConfigMap Item)> WatchAsync(string resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Calls.Add($"watch {resourceVersion}");
            var events = real.WatchAsync(resourceVersion, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (events)
            {
                while (true)
                {
                    try
                    {
                        if (!await events.MoveNextAsync())
                        {
                            break;
                        }
                    }
                    catch (WatchExpiredException)
                    {
                        Calls.Add($"expired {resourceVersion}");
                        throw;
                    }

                    yield return events.Current;
                }
            }
        }
    }
}
