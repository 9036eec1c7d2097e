using System.Text;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>Services connect cannot take as they are, and failures on the way: each gets a clear error and the cluster stays as it was.</summary>
[TestFixture]
public sealed class ConnectFaultTests() : SampleSpaceFixture("connect-fault", waitUntilCleanAfterEachTest: false)
{
    private sealed class FixedImage(string reference) : IAgentImage
    {
        public Task<ImageDeliveryResult> EnsureAsync(string ns, IProgress<ImageProgress>? progress, CancellationToken cancellationToken) =>
            Task.FromResult(new ImageDeliveryResult(reference, Pushed: false));
    }

    private async Task<DevSpacesException> ConnectFailsAsync(string service, ClusterConnection? connection = null, IAgentImage? image = null, string? container = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var connect = connection == null
            ? Space.CreateService(Log, image)
            : new ConnectService(connection, image ?? new FixedImage("devspaces/agent:unused"), Space.Settings, Log);
        var error = Assert.ThrowsAsync<DevSpacesException>(async () =>
        {
            await using var session = await connect.ConnectAsync(new ConnectRequest(Space.Namespace, service, LocalHttpServer.FreePort()) { Container = container }, _ => { }, timeout.Token);
        });
        return error!;
    }

    private Task CreateServiceAsync(string name, Dictionary<string, string>? selector, IntOrString targetPort) =>
        Space.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec { Selector = selector, Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = targetPort }] },
        }, Space.Namespace);

    private Task CreateTwoContainerDeploymentAsync(string name) =>
        Space.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container { Name = "web", Image = "devspaces-sample/api:dev", Ports = [new V1ContainerPort { Name = "web", ContainerPort = 8080 }] },
                            new V1Container { Name = "sidecar", Image = "devspaces-sample/api:dev", Ports = [new V1ContainerPort { Name = "metrics", ContainerPort = 9090 }] },
                        ],
                    },
                },
            },
        }, Space.Namespace);

    [Test]
    public async Task A_Service_Without_Selector_Is_Refused()
    {
        await CreateServiceAsync("manual", null, (IntOrString)"8080");
        var error = await ConnectFailsAsync("manual");
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("has no selector"));
    }

    [Test]
    public async Task A_Missing_Service_Is_Named()
    {
        var error = await ConnectFailsAsync("no-such-service");
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("no-such-service").And.Contain(Space.Namespace));
    }

    [Test]
    public async Task Several_Containers_Are_Told_Apart_By_The_Service_Port_Or_By_The_Chosen_Container()
    {
        await CreateTwoContainerDeploymentAsync("two");
        await CreateServiceAsync("two-named", new() { ["app"] = "two" }, (IntOrString)"metrics");
        await CreateServiceAsync("two-unknown", new() { ["app"] = "two" }, (IntOrString)"7070");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var takeover = new ServiceTakeover(Space.Connection);

        var byPort = await takeover.PlanAsync(Space.Namespace, "two-named", null, timeout.Token);
        Assert.That(byPort.Container.Name, Is.EqualTo("sidecar"), "the container declaring the named target port");
        Assert.That(byPort.Ports.Single().TargetPort, Is.EqualTo(9090), "the named port resolves to its number");

        var ambiguous = await ConnectFailsAsync("two-unknown");
        Assert.That(ambiguous.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(ambiguous.Message, Does.Contain("web").And.Contain("sidecar"));
        Assert.That(ambiguous.Hint, Does.Contain("--container"));
        Assert.That(((ErrorData)ambiguous.ErrorData!).Choices, Is.EqualTo(new[] { "web", "sidecar" }), "the editor offers these as a pick");

        var chosen = await takeover.PlanAsync(Space.Namespace, "two-unknown", "web", timeout.Token);
        Assert.That(chosen.Container.Name, Is.EqualTo("web"));
        Assert.That(chosen.Ports.Single().TargetPort, Is.EqualTo(7070), "a numbered target port is taken as it is");

        var wrong = await ConnectFailsAsync("two-unknown", container: "nope");
        Assert.That(wrong.Message, Does.Contain("no container 'nope'"));
        Assert.That(((ErrorData)wrong.ErrorData!).Choices, Is.EqualTo(new[] { "web", "sidecar" }));
    }

    [Test]
    public async Task A_Named_Target_Port_The_Container_Does_Not_Declare_Is_Refused()
    {
        await CreateServiceAsync("api-misnamed", new() { ["app.kubernetes.io/name"] = "api" }, (IntOrString)"grpc");
        var error = await ConnectFailsAsync("api-misnamed");
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ConnectTargetInvalid));
        Assert.That(error.Message, Does.Contain("'grpc'"));
    }

    [Test]
    public async Task A_Missing_Agent_Image_Is_Reported_And_The_Service_Restored()
    {
        var error = await ConnectFailsAsync("api", image: new FixedImage($"devspaces/agent:missing-{Guid.NewGuid():N}"[..40]));
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.AgentFailed), error.Message);
        Assert.That(error.Message, Does.Contain("devspaces/agent:missing").And.Contain("ErrImageNeverPull"));
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.True);
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
    }

    [Test]
    public async Task Too_Narrow_Rbac_Names_The_Verb_And_Resource_And_Changes_Nothing()
    {
        var ns = Space.Namespace;
        await Space.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader" } }, ns);
        await Space.Client.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "reader" },
            Rules =
            [
                new V1PolicyRule { ApiGroups = [""], Resources = ["services", "secrets", "pods", "configmaps"], Verbs = ["get", "list", "watch"] },
                new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments"], Verbs = ["get", "list", "watch"] },
            ],
        }, ns);
        await Space.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = ns }],
        }, ns);

        string? token = null;
        await ClusterWaits.ConditionAsync(async () =>
        {
            var account = await Space.Client.CoreV1.ReadNamespacedServiceAccountAsync("reader", ns);
            if (account.Secrets?.FirstOrDefault()?.Name is not { } name)
            {
                return false;
            }

            var secret = await Space.Client.CoreV1.ReadNamespacedSecretAsync(name, ns);
            token = secret.Data?.TryGetValue("token", out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
            return token != null;
        }, TimeSpan.FromSeconds(30), () => "the service account 'reader' has a token");

        var config = new KubeconfigSource(Space.Cluster.KubeconfigPath, null, null).Load();
        var context = config.FindContext(config.CurrentContext!)!;
        var user = config.UserOf(context)!;
        var reader = user with { ClientCertificate = null, ClientCertificateData = null, ClientKey = null, ClientKeyData = null, Token = token, Exec = null, AuthProvider = null };
        using var narrow = ClusterConnection.Open(config with { Users = [reader] }, context.Name);

        var error = await ConnectFailsAsync("api", narrow);
        Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.Forbidden));
        Assert.That(error.Message, Does.Contain("'patch' on 'deployments'"));
        Assert.That(await Space.IsRestoredAsync("api", 1), Is.True, "nothing was changed");
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
    }
}
