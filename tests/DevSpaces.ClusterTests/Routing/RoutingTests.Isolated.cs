using System.Collections.Concurrent;
using System.Globalization;
using DevSpaces.ClusterTests.Connect;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Routing;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Routing;

/// <summary>
/// Isolated connect under the routed root, as a user whose rights end at their namespaces (admin of the child space,
/// view in the root): only requests routed to the child reach the local process, everyone else's keep reaching the
/// root's pods, which are never changed; ending the session (normally, or by killing the CLI) leaves the cluster as
/// it was.
/// </summary>
public partial class RoutingTests
{
    private const string Developer = "isolated-dev";
    private string? isolatedChild;
    private string? developerKubeconfig;

    /// <summary>A child space of the root with no service of its own, and a kubeconfig of its namespace-scoped developer.</summary>
    private async Task<(string Child, string Kubeconfig)> IsolatedChildAsync()
    {
        if (isolatedChild is not null)
        {
            return (isolatedChild, developerKubeconfig!);
        }

        var child = root + "-i";
        await app.Spaces.CreateSpaceAsync(child, root, CancellationToken.None);
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = Developer } }, child);
        foreach (var (ns, role) in new[] { (child, "admin"), (root, "view") })
        {
            await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
            {
                Metadata = new V1ObjectMeta { Name = $"{Developer}-{child}" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Developer, NamespaceProperty = child }],
            }, ns);
        }

        var token = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600, Audiences = [] } }, Developer, child);
        developerKubeconfig = Spaces.TestKubeconfig.Find().Write(workspace.Path, "developer.kubeconfig", [(Developer, Developer)], new Dictionary<string, string> { [Developer] = $"token: {token.Status.Token}" });
        isolatedChild = child;
        return (child, developerKubeconfig);
    }

    [Test]
    public async Task An_Isolated_Connect_Gets_Only_Its_Child_Spaces_Requests_While_The_Roots_Pods_Serve_Everyone_Else_Unchanged()
    {
        var (child, kubeconfig) = await IsolatedChildAsync();
        var rootBefore = await ObjectsAsync(root);
        var childBefore = await ObjectsAsync(child);

        var seenByLocal = new ConcurrentQueue<string>();
        await using var local = new LocalHttpServer(request =>
        {
            seenByLocal.Enqueue(request.Headers[RoutingNames.RouteAsHeader] ?? "(none)");
            return Task.FromResult((200, """{"service":"api","space":"local"}"""));
        });

        // Untagged requests run from before the session starts until after it ended: none may fail or meet the local process.
        using var stopUntagged = new CancellationTokenSource();
        var untaggedWrong = new ConcurrentQueue<string>();
        var untagged = 0;
        var untaggedStream = Task.Run(async () =>
        {
            while (!stopUntagged.IsCancellationRequested)
            {
                try
                {
                    var got = await CallAsync(null, "none");
                    if (got != (root, root))
                    {
                        untaggedWrong.Enqueue($"{got}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or AssertionException)
                {
                    untaggedWrong.Enqueue(e.Message);
                }

                Interlocked.Increment(ref untagged);
            }
        });

        var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
        using var developer = ClusterConnection.Open(loaded, Developer);
        using var docker = DockerEngine.Connect();
        var settings = new AgentSettings { BaseImage = SampleSpace.TestBaseImage };
        var connect = new ConnectService(developer, new AgentImage(new ImageBuilder(docker), new ImageDelivery(docker, developer.Client, new ImageDeliverySettings()), settings), settings, new NullLog());
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var session = await connect.ConnectAsync(new ConnectRequest(child, "api", local.Port) { Isolated = true }, _ => { }, timeout.Token);
        var tagged = 0;
        await using (session)
        {
            Assert.That((session.Plan.Namespace, session.Plan.SessionNamespace), Is.EqualTo((root, child)), "the root's version is stood in for, from the child");

            // The child's new Service answers once the node's proxy rules have its cluster IP.
            (string, string) last = default;
            await ClusterWaits.ConditionAsync(async () => (last = await CallAsync(child, "header")) == (root, "local"), TimeSpan.FromSeconds(20), () => $"a request for {child} reaches the local process (last: {last})");

            var taggedWrong = new List<string>();
            for (; tagged < 100; tagged++)
            {
                var got = await CallAsync(child, tagged % 2 == 0 ? "header" : "baggage");
                if (got != (root, "local"))
                {
                    taggedWrong.Add($"{got}");
                }
            }

            Assert.That(taggedWrong, Is.Empty, "every request for the child reaches the local process");
            var pods = await cluster.Client.CoreV1.ListNamespacedPodAsync(root, labelSelector: "app=api");
            Assert.That(pods.Items.Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Name), Is.EquivalentTo(Pods(rootBefore, "app=api")), "the root's api pods keep running");
        }

        // After the session: the child is as it was (the garbage collector removes the agent's RBAC a moment later).
        Dictionary<string, string> childAfter = [];
        await ClusterWaits.ConditionAsync(async () => Same(childAfter = await ObjectsAsync(child), childBefore), TimeSpan.FromSeconds(60), () => $"the child holds what it held before; differs: {Diff(childAfter, childBefore)}");
        (string, string) back = default;
        await ClusterWaits.ConditionAsync(async () => (back = await CallAsync(child, "header")) == (root, root), TimeSpan.FromSeconds(20), () => $"the child's requests reach the root's api again (last: {back})");
        await stopUntagged.CancelAsync();
        await untaggedStream;

        var rootAfter = await ObjectsAsync(root);
        Assert.Multiple(() =>
        {
            Assert.That(untaggedWrong, Is.Empty, "no untagged request failed or met the local process");
            Assert.That(untagged, Is.GreaterThan(50), "untagged requests ran throughout");
            Assert.That(seenByLocal.Distinct(), Is.EqualTo(new[] { child }), "the local process saw requests for the child only");
            Assert.That(seenByLocal, Has.Count.GreaterThanOrEqualTo(tagged));
            Assert.That(Diff(rootAfter, rootBefore), Is.Empty, "the root is exactly as before: same objects, specs, generations, pods");
        });
    }

    [Test]
    public async Task Killing_An_Isolated_Connect_Has_Its_Agent_Remove_Exactly_What_The_Session_Made()
    {
        var (child, kubeconfig) = await IsolatedChildAsync();
        var rootBefore = await ObjectsAsync(root);
        var childBefore = await ObjectsAsync(child);
        using var command = new ConnectCommandProcess(kubeconfig, ["connect", "api", "--isolated", "--space", child, "--local-port", LocalHttpServer.FreePort().ToString(CultureInfo.InvariantCulture)]);
        await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
        var made = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("api", child);
        Assert.That(made.Metadata.Labels[TakeoverNames.IsolatedLabel], Is.EqualTo(root));

        await command.KillAndWaitUntilRestoredAsync(
            async () => (await cluster.Client.CoreV1.ListNamespacedServiceAsync(child, fieldSelector: "metadata.name=api")).Items.Count == 0,
            TimeSpan.FromSeconds(10),
            $"service api of {child}");
        Dictionary<string, string> childAfter = [];
        await ClusterWaits.ConditionAsync(async () => Same(childAfter = await ObjectsAsync(child), childBefore), TimeSpan.FromSeconds(90), () => $"the child holds what it held before; differs: {Diff(childAfter, childBefore)}");
        Assert.That(Diff(await ObjectsAsync(root), rootBefore), Is.Empty, "the root is exactly as before");
    }

    [Test]
    public void An_Isolated_Connect_In_The_Root_Says_It_Needs_A_Child_Space()
    {
        var loaded = new KubeconfigSource(cluster.KubeconfigPath, null, null).Load();
        using var admin = ClusterConnection.Open(loaded, loaded.CurrentContext!);
        var connect = new ConnectService(admin, new AgentImageNeverNeeded(), new AgentSettings(), new NullLog());
        var error = Assert.ThrowsAsync<Core.Errors.DevSpacesException>(() => connect.ConnectAsync(new ConnectRequest(root, "api", 5000) { Isolated = true }, _ => { }, CancellationToken.None))!;
        Assert.That(error.ErrorCode, Is.EqualTo(Contracts.RpcErrorCode.IsolatedNeedsChildSpace));
    }

    private static bool Same(Dictionary<string, string> a, Dictionary<string, string> b) => Diff(a, b).Count == 0;

    private static List<string> Diff(Dictionary<string, string> now, Dictionary<string, string> before) =>
        [.. now.Keys.Union(before.Keys).Order(StringComparer.Ordinal)
            .Where(k => now.GetValueOrDefault(k) != before.GetValueOrDefault(k))
            .Select(k => !before.ContainsKey(k) ? $"+{k}" : !now.ContainsKey(k) ? $"-{k}" : $"~{k}")];

    private static IEnumerable<string> Pods(Dictionary<string, string> objects, string selector) =>
        objects.Where(o => o.Key.StartsWith("pod/", StringComparison.Ordinal) && o.Value.Contains(selector, StringComparison.Ordinal)).Select(o => o.Key["pod/".Length..]);

    /// <summary>
    /// What a namespace holds, by kind/name: workloads and Services with their specs, labels, annotations (and a
    /// Deployment's generation, which any change of its spec such as a scale raises), pods with their uid and restarts,
    /// and the session-related kinds by name.
    /// </summary>
    private async Task<Dictionary<string, string>> ObjectsAsync(string ns)
    {
        var client = cluster.Client;
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items)
        {
            objects[$"deployment/{d.Metadata.Name}"] = KubernetesJson.Serialize(new { d.Spec, d.Metadata.Labels, d.Metadata.Annotations, d.Metadata.Generation });
        }

        foreach (var s in (await client.CoreV1.ListNamespacedServiceAsync(ns)).Items)
        {
            objects[$"service/{s.Metadata.Name}"] = KubernetesJson.Serialize(new { s.Spec, s.Metadata.Labels, s.Metadata.Annotations, s.Metadata.ResourceVersion });
        }

        foreach (var p in (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var labels = string.Join(",", (p.Metadata.Labels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}"));
            objects[$"pod/{p.Metadata.Name}"] = $"{p.Metadata.Uid} {labels} restarts={p.Status?.ContainerStatuses?.Sum(c => c.RestartCount)}";
        }

        foreach (var c in (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items)
        {
            objects[$"configmap/{c.Metadata.Name}"] = KubernetesJson.Serialize(c.Data);
        }

        foreach (var name in (await client.CoreV1.ListNamespacedSecretAsync(ns)).Items.Select(s => s.Metadata.Name))
        {
            objects[$"secret/{name}"] = "";
        }

        foreach (var name in (await client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Select(s => s.Metadata.Name))
        {
            objects[$"serviceaccount/{name}"] = "";
        }

        foreach (var name in (await client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items.Select(s => s.Metadata.Name))
        {
            objects[$"role/{name}"] = "";
        }

        foreach (var name in (await client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items.Select(s => s.Metadata.Name))
        {
            objects[$"rolebinding/{name}"] = "";
        }

        foreach (var name in (await client.AppsV1.ListNamespacedReplicaSetAsync(ns)).Items.Select(s => s.Metadata.Name))
        {
            objects[$"replicaset/{name}"] = "";
        }

        return objects;
    }

    /// <summary>The agent image of a connect that must fail before it is needed.</summary>
    private sealed class AgentImageNeverNeeded : IAgentImage
    {
        public Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the agent image was asked for, though the connect should have been refused before");
    }
}
