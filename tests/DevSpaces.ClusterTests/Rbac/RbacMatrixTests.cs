using System.Text;
using System.Text.Json;
using DevSpaces.ClusterTests.Connect;
using DevSpaces.ClusterTests.Spaces;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Cli.Commands;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;
using StreamJsonRpc;

namespace DevSpaces.ClusterTests.Rbac;

/// <summary>
/// Every CLI verb and RPC method run as a cluster admin, as the admin of one namespace (a ServiceAccount with a
/// RoleBinding to the built-in <c>admin</c> ClusterRole, no cluster-scoped rights) and as a <c>view</c>-only user.
/// Each either works or ends with the RBAC message (verb, resource, fix); none crashes; after a refusal the
/// cluster's objects are as they were. One sample deployment serves all three; connect runs once per identity.
/// </summary>
public class RbacMatrixTests() : SampleSpaceFixture("dst-rbac", waitUntilCleanAfterEachTest: false)
{
    public enum Identity
    {
        ClusterAdmin,
        NamespaceAdmin,
        Viewer,
    }

    private readonly Dictionary<Identity, string> kubeconfigs = [];
    private TempDirectory files = null!;

    protected override async Task AfterDeployAsync()
    {
        files = new TempDirectory();
        var cluster = TestKubeconfig.Find();
        kubeconfigs[Identity.ClusterAdmin] = cluster.Path;
        kubeconfigs[Identity.NamespaceAdmin] = await AccountKubeconfigAsync(cluster, "ns-admin", "admin");
        kubeconfigs[Identity.Viewer] = await AccountKubeconfigAsync(cluster, "viewer", "view");
    }

    [OneTimeTearDown]
    public async Task RemoveTheFiles()
    {
        files?.Dispose();
        foreach (var child in (await Space.Client.CoreV1.ListNamespaceAsync(labelSelector: $"devspaces.io/parent={Space.Namespace}")).Items)
        {
            await Space.Client.CoreV1.DeleteNamespaceAsync(child.Metadata.Name);
        }
    }

    /// <summary>A ServiceAccount of the sample's namespace bound there to the built-in ClusterRole <paramref name="role"/>, as a kubeconfig.</summary>
    private async Task<string> AccountKubeconfigAsync(TestKubeconfig cluster, string name, string role)
    {
        var ns = Space.Namespace;
        await Space.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, ns);
        await Space.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns }],
        }, ns);
        var token = await Space.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600, Audiences = [] } }, name, ns);
        return cluster.Write(files.Path, name, [(name, name)], new Dictionary<string, string> { [name] = $"token: {token.Status.Token}" });
    }

    private static bool Refuses(Identity identity, string step) => (identity, step) switch
    {
        (Identity.ClusterAdmin, _) => false,
        (_, "space create" or "space delete") => true,
        (Identity.Viewer, "port-forward" or "connect") => true,
        _ => false,
    };

    [TestCase(Identity.ClusterAdmin)]
    [TestCase(Identity.NamespaceAdmin)]
    [TestCase(Identity.Viewer)]
    public async Task Every_Cli_Verb_Works_Or_Ends_With_The_Rbac_Message_And_Changes_Nothing(Identity identity)
    {
        using var folder = new TempDirectory();
        var ns = Space.Namespace;
        var child = $"{ns}-cli-{identity.ToString().ToLowerInvariant()[..2]}";
        var build = BuildContext(folder.Path);
        var steps = new List<(string Step, string[] Args)>
        {
            ("context list", ["context", "list"]),
            ("context use", ["context", "use", KubernetesClientConfiguration.LoadKubeConfig(kubeconfigs[identity]).CurrentContext]),
            ("context status", ["context", "status"]),
            ("space select", ["space", "select", ns]),
            ("space list", ["space", "list"]),
            ("space current", ["space", "current"]),
            ("service list", ["service", "list", "--space", ns]),
            ("space create", ["space", "create", child, "--parent", ns]),
            ("space delete", ["space", "delete", identity == Identity.ClusterAdmin ? child : ns]),
            ("image build", ["image", "build", build, "--repository", "devspaces-test/rbac"]),
        };
        foreach (var (step, args) in steps)
        {
            await RunCliStepAsync(identity, step, folder.Path, args, null);
        }

        // port-forward runs until interrupted: interrupted once the forward answers.
        await RunCliStepAsync(identity, "port-forward", folder.Path, ["port-forward", "service/frontend", ":80", "--space", ns], "Press Ctrl-C");
        if (identity == Identity.Viewer)
        {
            // Connect is heavy: over the CLI only the refusal; the RPC test connects as every identity.
            await RunCliStepAsync(identity, "connect", folder.Path, ["connect", "api", "--local-port", "1", "--space", ns, "--", "true"], null);
        }
    }

    [TestCase(Identity.ClusterAdmin)]
    [TestCase(Identity.NamespaceAdmin)]
    [TestCase(Identity.Viewer)]
    public async Task Every_Rpc_Method_Works_Or_Ends_With_The_Rbac_Message_And_Changes_Nothing(Identity identity)
    {
        using var folder = new TempDirectory();
        var ns = Space.Namespace;
        var child = $"{ns}-rpc-{identity.ToString().ToLowerInvariant()[..2]}";
        try
        {
            await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, kubeconfigs[identity]));
            await RpcStepAsync(identity, "initialize", () => daemon.InitializeAsync(folder.Path));
            await RpcStepAsync(identity, "context/list", () => daemon.CallAsync<ContextList>("context/list"));
            var contexts = await daemon.CallAsync<ContextList>("context/list");
            await RpcStepAsync(identity, "context/use", () => daemon.CallAsync<ConnectionStatus>("context/use", new { name = contexts.Current }));
            await RpcStepAsync(identity, "context/status", () => daemon.CallAsync<ConnectionStatus>("context/status"));
            await RpcStepAsync(identity, "space/select", () => daemon.CallAsync<Selection>("space/select", new { name = ns }));
            var tree = await RpcStepAsync(identity, "space/list", () => daemon.CallAsync<SpaceTree>("space/list"));
            await RpcStepAsync(identity, "space/current", () => daemon.CallAsync<Selection>("space/current"));
            await RpcStepAsync(identity, "service/list", () => daemon.CallAsync<ServiceList>("service/list", new { space = ns }));
            await RpcStepAsync(identity, "space/create", () => daemon.CallAsync<CreateSpaceResult>("space/create", new { name = child, parent = ns }), "space create");
            await RpcStepAsync(identity, "space/delete", () => daemon.CallAsync<DeleteSpaceResult>("space/delete", new { name = identity == Identity.ClusterAdmin ? child : ns }), "space delete");
            await RpcStepAsync(identity, "image/build", () => daemon.CallAsync<ImageBuildInfo>("image/build", new { context = BuildContext(folder.Path), repository = "devspaces-test/rbac" }));
            var forward = await RpcStepAsync(identity, "portForward/start", () => daemon.CallAsync<PortForwardInfo>("portForward/start", new { target = "service/frontend", ports = new[] { ":80" }, space = ns }), "port-forward");
            await RpcStepAsync(identity, "portForward/list", () => daemon.CallAsync<PortForwardList>("portForward/list"));
            if (forward != null)
            {
                await AnswersAsync(forward.Ports[0].LocalPort);
                await RpcStepAsync(identity, "portForward/stop", () => daemon.CallAsync<PortForwardInfo>("portForward/stop", new { id = forward.Id }));
            }

            await using var local = LocalHttpServer.AnsweringAsLocalProcess();
            var session = await RpcStepAsync(identity, "connect/start", () => daemon.CallAsync<ConnectInfo>("connect/start", new { service = "api", localPort = local.Port, space = ns }), "connect");
            await RpcStepAsync(identity, "connect/list", () => daemon.CallAsync<ConnectList>("connect/list"));
            if (session != null)
            {
                Assert.That((await Space.ApiAnswerAsync()).GetProperty("hostname").GetString(), Is.EqualTo("local-process"), $"{identity}: connect serves from this machine");
                await RpcStepAsync(identity, "connect/stop", () => daemon.CallAsync<object>("connect/stop", new { session = session.Session }));
                Assert.That(await Space.IsRestoredAsync("api", 1), Is.True, $"{identity}: connect/stop restores");
            }

            await RpcStepAsync(identity, "shutdown", () => daemon.CallAsync<object>("shutdown"));
            if (identity != Identity.ClusterAdmin)
            {
                Assert.That(tree!.Note, Does.Contain("listing namespaces is not allowed"), "a partial space list says so");
                Assert.That(tree.Roots.Select(r => r.Name), Does.Contain(ns), "the user's own space is listed");
            }
        }
        finally
        {
            await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));
        }
    }

    private async Task RunCliStepAsync(Identity identity, string step, string workspace, string[] args, string? interruptAfter)
    {
        var refused = Refuses(identity, step);
        var before = refused ? await SnapshotAsync() : null;
        var stdout = new CapturingWriter();
        var stderr = new CapturingWriter();
        using var interrupt = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var app = new CliApp(stdout, stderr, workspace, kubeconfigs[identity], workspace) { LogDirectory = Path.Combine(workspace, "logs") };
        var run = app.RunAsync([.. args, "--workspace", workspace], interrupt.Token);
        if (interruptAfter != null && !refused)
        {
            await ClusterWaits.ConditionAsync(() => Task.FromResult(stdout.Text.Contains(interruptAfter, StringComparison.Ordinal) || run.IsCompleted), TimeSpan.FromSeconds(60), () => $"{identity} {step}: '{interruptAfter}' in the output");
            var port = int.Parse(stdout.Text.Split("127.0.0.1:")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            await AnswersAsync(port);
            await interrupt.CancelAsync();
        }

        var code = await run;
        var output = stdout.Text + stderr.Text;
        Assert.Multiple(async () =>
        {
            Assert.That(output, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"), $"{identity} {step}: no stack trace");
            Assert.That(output, Does.Not.Contain("failed unexpectedly"), $"{identity} {step}: no unexpected failure");
            if (refused)
            {
                Assert.That(code, Is.EqualTo(1), $"{identity} {step}: refused\n{output}");
                Assert.That(stderr.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), $"{identity} {step}: one line\n{output}");
                Assert.That(stderr.Text, Does.Contain("Not allowed to").And.Contain("RBAC permission '").And.Contain("Fix: Ask a cluster administrator"), $"{identity} {step}: verb, resource, fix");
                Assert.That(await SnapshotAsync(), Is.EqualTo(before), $"{identity} {step}: the cluster is unchanged after the refusal");
            }
            else
            {
                Assert.That(code, Is.EqualTo(0), $"{identity} {step}: works\n{output}");
            }
        });
    }

    private async Task<T?> RpcStepAsync<T>(Identity identity, string method, Func<Task<T>> call, string? step = null)
        where T : class
    {
        var refused = Refuses(identity, step ?? method);
        var before = refused ? await SnapshotAsync() : null;
        try
        {
            var result = await call();
            Assert.That(refused, Is.False, $"{identity} {method}: refusal expected, it worked");
            return result;
        }
        catch (RemoteInvocationException e)
        {
            var data = e.DeserializedErrorData as ErrorData;
            Assert.Multiple(async () =>
            {
                Assert.That(refused, Is.True, $"{identity} {method}: works expected, it failed: {e.ErrorCode} {e.Message} {data?.Hint}");
                Assert.That(e.ErrorCode, Is.EqualTo(RpcErrorCode.Forbidden), $"{identity} {method}: the RBAC error");
                Assert.That(e.Message, Does.Contain("Not allowed to").And.Contain("RBAC permission '"), $"{identity} {method}: verb and resource");
                Assert.That(data?.Hint, Does.StartWith("Ask a cluster administrator"), $"{identity} {method}: the fix");
                Assert.That(e.Message + data?.Hint + data?.Detail, Does.Not.Contain("   at "), $"{identity} {method}: no stack trace");
                Assert.That(await SnapshotAsync(), Is.EqualTo(before), $"{identity} {method}: the cluster is unchanged after the refusal");
            });
            return null;
        }
    }

    private static async Task AnswersAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var response = await http.GetAsync($"http://127.0.0.1:{port}/");
        Assert.That((int)response.StatusCode, Is.LessThan(500), $"the forward to port {port} answers");
    }

    /// <summary>A build context with a Dockerfile on a local base: quick, and delivered as any image is.</summary>
    private static string BuildContext(string parent)
    {
        var context = Path.Combine(parent, "image");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM devspaces.local/debian:bookworm\nLABEL devspaces.test=rbac\n");
        return context;
    }

    /// <summary>
    /// What a refused operation must not change: the spaces under the sample (but those an earlier step is deleting)
    /// and the sample's objects, by version.
    /// </summary>
    private async Task<string> SnapshotAsync()
    {
        var client = Space.Client;
        var ns = Space.Namespace;
        var text = new StringBuilder();
        void Add<T>(string kind, IEnumerable<T> items, Func<T, string> describe)
        {
            foreach (var line in items.Select(describe).Order(StringComparer.Ordinal))
            {
                text.Append(kind).Append('/').AppendLine(line);
            }
        }

        static string Versioned(V1ObjectMeta m) => $"{m.Name} {m.ResourceVersion}";
        static string Named(V1ObjectMeta m) => m.Name;
        Add("namespace", (await client.CoreV1.ListNamespaceAsync()).Items.Where(n => n.Metadata.Name.StartsWith(ns, StringComparison.Ordinal) && n.Status?.Phase != "Terminating"), n => $"{n.Metadata.Name} {n.Status?.Phase} {JsonSerializer.Serialize(n.Metadata.Labels)}");
        Add("deployment", (await client.AppsV1.ListNamespacedDeploymentAsync(ns)).Items, d => $"{d.Metadata.Name} {d.Metadata.Generation} {d.Spec.Replicas} {JsonSerializer.Serialize(d.Metadata.Annotations)}");
        Add("service", (await client.CoreV1.ListNamespacedServiceAsync(ns)).Items, s => Versioned(s.Metadata));
        Add("secret", (await client.CoreV1.ListNamespacedSecretAsync(ns)).Items, s => Named(s.Metadata));
        Add("serviceaccount", (await client.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items, s => Named(s.Metadata));
        Add("role", (await client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns)).Items, r => Versioned(r.Metadata));
        Add("rolebinding", (await client.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns)).Items, r => Versioned(r.Metadata));
        Add("configmap", (await client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items, c => Versioned(c.Metadata));
        return text.ToString();
    }

    /// <summary>A writer the test can read while the command still writes to it.</summary>
    private sealed class CapturingWriter : TextWriter
    {
        private readonly StringBuilder text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (text)
                {
                    return text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (text)
            {
                text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (text)
            {
                text.Append(value);
            }
        }
    }
}
