using System.Text.Json;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Tunnel.Takeover;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>The sample app deployed into its own namespace, and what the connect tests need around it.</summary>
public sealed class SampleSpace : IAsyncDisposable
{
    public const string TestBaseImage = "devspaces.local/dotnet-aspnet:10.0";

    private SampleSpace(TestCluster cluster, string ns, ClusterConnection connection)
    {
        Cluster = cluster;
        Namespace = ns;
        Connection = connection;
    }

    public TestCluster Cluster { get; }

    public Kubernetes Client => Cluster.Client;

    public string Namespace { get; }

    public ClusterConnection Connection { get; }

    public AgentSettings Settings { get; } = new() { BaseImage = TestBaseImage };

    public static async Task<SampleSpace> DeployAsync(string prefix)
    {
        var cluster = await TestCluster.ConnectAsync();
        var ns = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        var deploy = Path.Combine(TestCluster.RepositoryRoot, "samples", "deploy");
        var deployed = await ScriptRunner.RunAsync("bash", [deploy, "--namespace", ns, "--local-bases", "--node-port", "auto", "--timeout", "180", "--kubeconfig", cluster.KubeconfigPath], TimeSpan.FromMinutes(10));
        var (exitCode, output) = (deployed.ExitCode, deployed.Stdout + deployed.Stderr);
        var loaded = new KubeconfigSource(cluster.KubeconfigPath, null, null).Load();
        var space = new SampleSpace(cluster, ns, ClusterConnection.Open(loaded, loaded.CurrentContext!));
        if (exitCode != 0)
        {
            await space.DisposeAsync();
            Assert.Fail($"samples/deploy failed:\n{output}");
        }

        return space;
    }

    public ConnectService CreateService(ILog log, IAgentImage? image = null, LocalFiles? local = null)
    {
        var docker = DockerEngine.Connect();
        return new ConnectService(Connection, image ?? new AgentImage(new ImageBuilder(docker), new ImageDelivery(docker, Client, new ImageDeliverySettings()), Settings), Settings, log, local);
    }

    /// <summary>GET through the front end's ClusterIP, as a client in the cluster would.</summary>
    public async Task<(int Status, string Body)> GetThroughFrontEndAsync(string path)
    {
        var service = await Client.CoreV1.ReadNamespacedServiceAsync("frontend", Namespace);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync($"http://{service.Spec.ClusterIP}{path}");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET on a Service's ClusterIP.</summary>
    public async Task<(int Status, string Body)> GetServiceAsync(string name, string path)
    {
        var service = await Client.CoreV1.ReadNamespacedServiceAsync(name, Namespace);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        (int, string)? answer = null;
        string? failure = null;
        await ClusterWaits.ConditionAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync($"http://{service.Spec.ClusterIP}{path}");
                answer = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The same kube-proxy delay as above: the old pod's address is unreachable for a moment.
                failure = e.Message;
                return false;
            }
        }, TimeSpan.FromSeconds(20), () => $"service {name} answers at all (last failure: {failure})");
        return answer!.Value;
    }

    /// <summary>The api object of the front end's /api/greeting answer.</summary>
    public async Task<JsonElement> ApiAnswerAsync()
    {
        // kube-proxy applies a Service's new endpoints a moment after the API server has them: until then the front
        // end may still be sent to the pod that just went away (EHOSTUNREACH, answered as 502).
        var (status, body) = (0, "");
        await ClusterWaits.ConditionAsync(async () => ((status, body) = await GetThroughFrontEndAsync("/api/greeting")).status == 200, TimeSpan.FromSeconds(20), () => $"the front end answers 200 (last: {status} {body})");
        return JsonDocument.Parse(body).RootElement.GetProperty("api").Clone();
    }

    /// <summary>Objects a connect session of <paramref name="deployment"/> leaves behind, as "kind/name" (empty when clean).</summary>
    public async Task<List<string>> LeftoversAsync(string deployment)
    {
        var left = new List<string>();
        var agent = TakeoverNames.Agent(deployment);
        var selector = $"{TakeoverNames.AgentLabel}={deployment}";
        left.AddRange((await Client.AppsV1.ListNamespacedDeploymentAsync(Namespace, labelSelector: selector)).Items.Select(i => $"deployment/{i.Metadata.Name}"));
        left.AddRange((await Client.AppsV1.ListNamespacedReplicaSetAsync(Namespace, labelSelector: selector)).Items.Select(i => $"replicaset/{i.Metadata.Name}"));
        // A deleted pod whose containers have all stopped is gone but for the kubelet's removal of the object, which
        // takes 10-20 s here and is no work of ours.
        left.AddRange((await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: selector)).Items
            .Where(i => !(i.Metadata.DeletionTimestamp != null && i.Status?.ContainerStatuses is { Count: > 0 } containers && containers.All(c => c.State?.Terminated != null)))
            .Select(i => $"pod/{i.Metadata.Name} ({(i.Metadata.DeletionTimestamp == null ? i.Status?.Phase : $"terminating since {i.Metadata.DeletionTimestamp:HH:mm:ss}")})"));
        left.AddRange((await Client.CoreV1.ListNamespacedSecretAsync(Namespace)).Items.Where(i => i.Metadata.Name == TakeoverNames.SessionSecret(deployment) || i.Metadata.Name.StartsWith(agent + "-", StringComparison.Ordinal)).Select(i => $"secret/{i.Metadata.Name}"));
        left.AddRange((await Client.CoreV1.ListNamespacedServiceAccountAsync(Namespace)).Items.Where(i => i.Metadata.Name.StartsWith(agent, StringComparison.Ordinal)).Select(i => $"serviceaccount/{i.Metadata.Name}"));
        left.AddRange((await Client.RbacAuthorizationV1.ListNamespacedRoleAsync(Namespace)).Items.Where(i => i.Metadata.Name.StartsWith(agent, StringComparison.Ordinal)).Select(i => $"role/{i.Metadata.Name}"));
        left.AddRange((await Client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(Namespace)).Items.Where(i => i.Metadata.Name.StartsWith(agent, StringComparison.Ordinal)).Select(i => $"rolebinding/{i.Metadata.Name}"));
        var deployments = await Client.AppsV1.ListNamespacedDeploymentAsync(Namespace, fieldSelector: $"metadata.name={deployment}");
        var statefulSets = await Client.AppsV1.ListNamespacedStatefulSetAsync(Namespace, fieldSelector: $"metadata.name={deployment}");
        foreach (var (kind, metadata) in deployments.Items.Select(d => ("deployment", d.Metadata)).Concat(statefulSets.Items.Select(s => ("statefulset", s.Metadata))))
        {
            if (metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) == true)
            {
                left.Add($"annotation {TakeoverNames.RecordAnnotation} on {kind}/{deployment}");
            }
        }

        left.AddRange((await Client.CoreV1.ListNamespacedServiceAsync(Namespace)).Items
            .Where(i => i.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) == true || i.Spec.Selector?.ContainsKey(TakeoverNames.SessionLabel) == true)
            .Select(i => $"annotation or session selector on service/{i.Metadata.Name}"));

        return left;
    }

    /// <summary>The names of the pods the Deployment's selector finds whose containers still run (stopped ones the kubelet has yet to delete are left out).</summary>
    public async Task<IReadOnlyList<string>> RunningOriginalPodsAsync(string deployment)
    {
        var workload = await Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, Namespace);
        var selector = string.Join(",", workload.Spec.Selector.MatchLabels.Select(l => $"{l.Key}={l.Value}"));
        return [.. (await Client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: selector)).Items
            .Where(p => p.Status?.ContainerStatuses?.Any(c => c.State?.Terminated == null) != false)
            .Select(p => p.Metadata.Name)];
    }

    /// <summary>True when the Deployment has its replicas back and no record.</summary>
    public async Task<bool> IsRestoredAsync(string deployment, int replicas)
    {
        var workload = await Client.AppsV1.ReadNamespacedDeploymentAsync(deployment, Namespace);
        return workload.Spec.Replicas == replicas && workload.Metadata.Annotations?.ContainsKey(TakeoverNames.RecordAnnotation) != true;
    }

    /// <summary>Waits until no connect object of <paramref name="deployment"/> is left and its pods serve again.</summary>
    public async Task WaitUntilCleanAsync(string deployment, TimeSpan timeout)
    {
        List<string> left = [];
        await ClusterWaits.ConditionAsync(
            async () => (left = await LeftoversAsync(deployment)).Count == 0,
            timeout,
            () => $"the connect objects of {deployment} are gone; still there: {string.Join(", ", left)}",
            () => ClusterWaits.DiagnoseNamespaceAsync(Client, Namespace));
        await ClusterWaits.DeploymentReadyAsync(Client, Namespace, deployment, TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DeleteNamespaceAsync(Namespace);
        Connection.Dispose();
        Cluster.Dispose();
    }
}
