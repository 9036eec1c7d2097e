using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Core.Up;
using DevSpaces.Helper.Protocol;
using Docker.DotNet;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// <c>up</c> of a Node.js service written by <c>prep</c>, in its own space on the real cluster: one service is up for
/// the whole class, and each test makes one kind of change and looks at what answers.
/// </summary>
public partial class UpClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly ConcurrentQueue<UpEvent> events = new();
    private UpSpace space = null!;

    private TestCluster cluster => space.Cluster;

    private DockerClient docker => space.Docker;

    private string ns => space.Namespace;

    private string folder => space.Folder;
    private UpService service = null!;
    private UpSession session = null!;

    private static readonly Dictionary<string, string> LocalBases = new() { ["NODE_IMAGE"] = "devspaces.local/node:20" };

    [OneTimeSetUp]
    public async Task UpTheService()
    {
        using var cts = new CancellationTokenSource(Timeout);
        space = await UpSpace.CreateAsync("up", cts.Token);
        File.WriteAllText(Path.Combine(folder, "package.json"), """{ "name": "hello", "version": "1.0.0", "main": "server.js" }""");
        WriteServer("v1");
        File.WriteAllText(Path.Combine(folder, "static.txt"), "static one");
        ProjectPreparer.Prepare(folder, "hello");
        service = CreateService();
        session = await service.StartAsync(new UpRequest(folder, ns, null, true, LocalBases), events.Enqueue, cts.Token);
    }

    [OneTimeTearDown]
    public async Task RemoveTheSpace()
    {
        if (session != null)
        {
            await session.DisposeAsync();
        }

        if (space != null)
        {
            await space.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task Up_Deploys_The_Service_And_Its_Forwarded_Url_Answers()
    {
        Assert.That(session.Url, Does.StartWith("http://127.0.0.1:"));
        var (version, _) = await AnswerAsync();
        Assert.That(version, Is.EqualTo("v1"));
        Assert.That(events.Select(e => e.Kind), Does.Contain(UpEventKind.Synced), "the initial sync is reported");
        var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("hello", ns);
        Assert.That(deployment.Spec.Template.Spec.Containers[0].Command[0], Is.EqualTo(HelperInjection.Executable), "the helper is the container's PID 1");
    }

    [Test, Order(2)]
    public async Task A_Saved_Source_File_Restarts_The_App_In_The_Same_Pod()
    {
        var pod = session.Pod;
        var (_, pidBefore) = await AnswerAsync();
        WriteServer("v2");
        var (_, pidAfter) = await AnswerUntilAsync(v => v == "v2");
        Assert.That(pidAfter, Is.Not.EqualTo(pidBefore), "the process restarted");
        Assert.That(session.Pod, Is.EqualTo(pod), "the pod stayed");
        // The new process may answer before the restart is reported (the report waits for the app to settle).
        await ClusterWaits.ConditionAsync(
            () => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Restarted && e.Message.Contains("server.js"))),
            TimeSpan.FromSeconds(30),
            () => $"the restart is reported; events: {Describe()}");
    }

    [Test, Order(3)]
    public async Task A_Saved_Static_File_Is_Copied_Without_A_Restart()
    {
        var (_, pidBefore) = await AnswerAsync();
        File.WriteAllText(Path.Combine(folder, "static.txt"), "static two");
        await ClusterWaits.ConditionAsync(async () => await GetAsync("/static") == "static two", TimeSpan.FromSeconds(30), () => "the new static file is served");
        var (_, pidAfter) = await AnswerAsync();
        Assert.That(pidAfter, Is.EqualTo(pidBefore), "a copy-only change does not restart the app");
    }

    [Test, Order(4)]
    public async Task A_Deleted_File_Is_Gone_From_The_Container()
    {
        File.WriteAllText(Path.Combine(folder, "extra.txt"), "to be deleted");
        await ClusterWaits.ConditionAsync(async () => (await ContainerFilesAsync()).ContainsKey("extra.txt"), TimeSpan.FromSeconds(30), () => "extra.txt reaches the container");
        File.Delete(Path.Combine(folder, "extra.txt"));
        await ClusterWaits.ConditionAsync(async () => !(await ContainerFilesAsync()).ContainsKey("extra.txt"), TimeSpan.FromSeconds(30), () => "extra.txt is deleted in the container");
    }

    [Test, Order(5)]
    public async Task A_Branch_Switch_Of_500_Files_Leaves_The_Container_Equal_To_The_Folder()
    {
        var tree = Path.Combine(folder, "public");
        for (var i = 0; i < 500; i++)
        {
            var sub = Path.Combine(tree, $"d{i % 20}");
            Directory.CreateDirectory(sub);
            File.WriteAllText(Path.Combine(sub, $"f{i}.txt"), $"content {i} {Guid.NewGuid()}");
        }

        // Then half of them change again and some go, as a second checkout would.
        for (var i = 0; i < 500; i += 2)
        {
            File.WriteAllText(Path.Combine(tree, $"d{i % 20}", $"f{i}.txt"), $"changed {i}");
        }

        for (var i = 1; i < 500; i += 10)
        {
            File.Delete(Path.Combine(tree, $"d{i % 20}", $"f{i}.txt"));
        }

        var project = UpService.ReadProject(folder);
        var scanner = new FolderScanner(folder, SyncRules.ForProject(folder, project.Sync!));
        scanner.ScanAll();
        var local = TreeHash.Compute(scanner.Files.Values);
        string? remote = null;
        await ClusterWaits.ConditionAsync(
            async () => (remote = TreeHash.Compute((await ContainerFilesAsync()).Values)) == local,
            TimeSpan.FromSeconds(60),
            () => $"the container's tree hash {remote} equals the folder's {local} ({scanner.Files.Count} files)");
    }

    [Test, Order(6)]
    public async Task An_Edited_Dockerfile_Rebuilds_The_Image_And_Redeploys()
    {
        var pod = session.Pod;
        var image = session.Image;
        File.AppendAllText(Path.Combine(folder, "Dockerfile"), "\nENV GREETING_SOURCE=rebuilt\n");
        await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Redeployed)), Timeout, () => $"a redeploy is reported; events: {Describe()}");
        Assert.That(session.Image, Is.Not.EqualTo(image), "a new image");
        Assert.That(session.Pod, Is.Not.EqualTo(pod), "a new pod");
        var (version, _) = await AnswerAsync();
        Assert.That(version, Is.EqualTo("v2"), "the new pod serves the folder's code");
    }

    [Test, Order(7)]
    public async Task Up_Again_After_The_Daemon_Died_Continues_With_The_Same_Pod()
    {
        var pod = session.Pod;
        await session.DisposeAsync();
        session = await service.StartAsync(new UpRequest(folder, ns, null, true, LocalBases), events.Enqueue, CancellationToken.None);
        Assert.That(session.Pod, Is.EqualTo(pod), "nothing was redeployed");
        var sets = await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(ns);
        Assert.That(sets.Items.Count(r => (r.Spec.Replicas ?? 0) > 0), Is.EqualTo(1), "one live ReplicaSet");
        var (version, _) = await AnswerAsync();
        Assert.That(version, Is.EqualTo("v2"));
    }

    [Test, Order(8)]
    public async Task A_Deleted_Pod_Is_Followed_To_Its_Replacement_And_Syncing_Goes_On()
    {
        var pod = session.Pod;
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(pod, ns, new V1DeleteOptions { GracePeriodSeconds = 0 });
        await ClusterWaits.ConditionAsync(() => Task.FromResult(session.Pod != pod && events.Any(e => e.Kind == UpEventKind.Step && e.Message.StartsWith("Attached to pod", StringComparison.Ordinal))), Timeout, () => $"up attaches to the new pod; events: {Describe()}");
        Assert.That(events.Any(e => e.Kind == UpEventKind.Warning && e.Message.Contains(pod, StringComparison.Ordinal)), Is.True, "the lost pod is reported");
        WriteServer("v3");
        var (version, _) = await AnswerUntilAsync(v => v == "v3");
        Assert.That(version, Is.EqualTo("v3"));
    }

    [Test, Order(9)]
    public async Task An_Invalid_DevSpaces_Yaml_Is_Reported_With_Its_Line_And_Nothing_Is_Deployed()
    {
        var bad = Directory.CreateTempSubdirectory("devspaces-up-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(bad, "devspaces.yaml"), "version: 1\nservice: broken\nbuild:\n  dockerfil: Dockerfile\n");
            var error = Assert.ThrowsAsync<DevSpacesException>(() => service.StartAsync(new UpRequest(bad, ns, null, false, LocalBases), _ => { }, CancellationToken.None));
            Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ProjectInvalid));
            Assert.That(error.Hint, Does.Match(@"devspaces\.yaml:4:3: error: .*dockerfil"));
            var deployments = await cluster.Client.AppsV1.ListNamespacedDeploymentAsync(ns);
            Assert.That(deployments.Items.Select(d => d.Name()), Is.EqualTo(new[] { "hello" }));
        }
        finally
        {
            Directory.Delete(bad, true);
        }
    }

    [Test, Order(10)]
    public async Task Up_Into_A_Child_Space_Lets_Its_Pods_Resolve_The_Short_Names_Of_Its_Ancestors()
    {
        var root = await cluster.CreateNamespaceAsync("up-root", CancellationToken.None);
        var child = $"{root}-c";
        var other = Directory.CreateTempSubdirectory("devspaces-up-child-").FullName;
        try
        {
            var rootSpace = await cluster.Client.CoreV1.ReadNamespaceAsync(root);
            rootSpace.Metadata.Labels["devspaces.io/space"] = "true";
            await cluster.Client.CoreV1.ReplaceNamespaceAsync(rootSpace, root);
            await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace
            {
                Metadata = new V1ObjectMeta { Name = child, Labels = new Dictionary<string, string> { ["devspaces.io/space"] = "true", ["devspaces.io/parent"] = root, ["devspaces.io/test"] = "true" } },
            });
            foreach (var file in new[] { "package.json", "server.js" })
            {
                File.Copy(Path.Combine(folder, file), Path.Combine(other, file));
            }

            ProjectPreparer.Prepare(other, "hello");
            await using (await service.StartAsync(new UpRequest(other, child, null, false, LocalBases), _ => { }, CancellationToken.None))
            {
            }

            var deployment = await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("hello", child);
            Assert.That(deployment.Spec.Template.Spec.DnsConfig?.Searches, Does.Contain($"{root}.svc.cluster.local"));
        }
        finally
        {
            await cluster.DeleteNamespaceAsync(child);
            await cluster.DeleteNamespaceAsync(root);
            Directory.Delete(other, true);
        }
    }

    [Test, Order(11)]
    public async Task Down_Removes_What_Up_Created_And_Restores_What_It_Replaced()
    {
        // A Service of the same name that was there before up (as when the root space already runs the app).
        var other = Directory.CreateTempSubdirectory("devspaces-up-other-").FullName;
        var otherNs = await cluster.CreateNamespaceAsync("up-down", CancellationToken.None);
        try
        {
            foreach (var file in new[] { "package.json", "server.js", "static.txt" })
            {
                File.Copy(Path.Combine(folder, file), Path.Combine(other, file));
            }

            ProjectPreparer.Prepare(other, "hello");
            var existing = await cluster.Client.CoreV1.CreateNamespacedServiceAsync(
                new V1Service
                {
                    Metadata = new V1ObjectMeta { Name = "hello", Labels = new Dictionary<string, string> { ["owner"] = "team" }, Annotations = new Dictionary<string, string> { ["note"] = "kept" } },
                    Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "baseline" }, Ports = [new V1ServicePort { Name = "web", Port = 80, TargetPort = 8080 }] },
                },
                otherNs);
            var before = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", otherNs);

            await using (await service.StartAsync(new UpRequest(other, otherNs, null, false, LocalBases), _ => { }, CancellationToken.None))
            {
            }

            var during = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", otherNs);
            Assert.That(during.Metadata.Labels[UpLabels.Service], Is.EqualTo("hello"), "up took the Service over");

            var actions = await service.DownAsync(other, otherNs, CancellationToken.None);
            Assert.That(actions, Is.EquivalentTo(new[] { "deleted Deployment/hello", "restored Service/hello" }));
            var after = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("hello", otherNs);
            Assert.That(KubernetesJson.Serialize(after.Spec), Is.EqualTo(KubernetesJson.Serialize(before.Spec)), "the Service's spec is as before");
            Assert.That(after.Metadata.Labels, Is.EqualTo(before.Metadata.Labels));
            Assert.That(after.Metadata.Annotations, Is.EqualTo(before.Metadata.Annotations));
            await ClusterWaits.ConditionAsync(async () => (await LabelledAsync(otherNs)).Count == 0, TimeSpan.FromSeconds(60), () => $"nothing labelled {UpLabels.Service} is left in {otherNs}");
            Assert.That((await cluster.Client.AppsV1.ListNamespacedDeploymentAsync(otherNs)).Items, Is.Empty);
            Assert.That((await cluster.Client.CoreV1.ListNamespacedSecretAsync(otherNs)).Items.Select(s => s.Name()), Has.None.StartsWith("hello"));
            Assert.That((await cluster.Client.CoreV1.ListNamespacedConfigMapAsync(otherNs)).Items.Select(s => s.Name()), Has.None.StartsWith("hello"));
            _ = existing;
        }
        finally
        {
            await cluster.DeleteNamespaceAsync(otherNs);
            Directory.Delete(other, true);
        }
    }

    [Test, Order(12)]
    public async Task Up_And_Down_Work_For_The_Admin_Of_The_Namespace_Alone()
    {
        // A ServiceAccount bound to the built-in admin ClusterRole by a RoleBinding: no cluster-scoped right at all.
        var name = "up-admin";
        await cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = name } }, ns);
        await cluster.Client.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "admin" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns }],
        }, ns);
        var token = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600, Audiences = [] } }, name, ns);
        var files = Directory.CreateTempSubdirectory("devspaces-up-admin-").FullName;
        var other = Path.Combine(files, "hello2");
        Directory.CreateDirectory(other);
        try
        {
            var kubeconfig = Spaces.TestKubeconfig.Find().Write(files, name, [(name, name)], new Dictionary<string, string> { [name] = $"token: {token.Status.Token}" });
            var loaded = new KubeconfigSource(kubeconfig, null, null).Load();
            using var restricted = ClusterConnection.Open(loaded, name);
            foreach (var file in new[] { "package.json", "server.js" })
            {
                File.Copy(Path.Combine(folder, file), Path.Combine(other, file));
            }

            ProjectPreparer.Prepare(other, "hello2");
            var up = space.CreateService(restricted);
            await using (var admin = await up.StartAsync(new UpRequest(other, ns, null, true, LocalBases), _ => { }, CancellationToken.None))
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                string? body = null;
                await ClusterWaits.ConditionAsync(
                    async () =>
                    {
                        try
                        {
                            body = await http.GetStringAsync(admin.Url);
                            return body.StartsWith("version", StringComparison.Ordinal);
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            return false;
                        }
                    },
                    TimeSpan.FromSeconds(60),
                    () => $"hello2 answers through the admin's forward (last: {body ?? "none"})");
            }

            Assert.That(await up.DownAsync(other, ns, CancellationToken.None), Does.Contain("deleted Deployment/hello2"));
        }
        finally
        {
            Directory.Delete(files, true);
        }
    }

    [Test, Order(13)]
    public async Task A_Failing_Image_Build_Is_Reported_And_The_Running_Version_Keeps_Serving()
    {
        var pod = session.Pod;
        var (version, _) = await AnswerAsync();
        var dockerfile = Path.Combine(folder, "Dockerfile");
        var original = File.ReadAllText(dockerfile);
        File.WriteAllText(dockerfile, original + "\nRUN exit 3\n");
        try
        {
            await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Any(e => e.Kind == UpEventKind.BuildFailed)), Timeout, () => $"the failed build is reported; events: {Describe()}");
            Assert.That(events.First(e => e.Kind == UpEventKind.BuildFailed).Message, Does.Contain("keeps serving"));
            var (after, _) = await AnswerAsync();
            Assert.That(after, Is.EqualTo(version), "the running version still answers");
            Assert.That(session.Pod, Is.EqualTo(pod), "nothing was redeployed");
        }
        finally
        {
            File.WriteAllText(dockerfile, original);
        }
    }

    private UpService CreateService() => space.CreateService();

    private void WriteServer(string version) => File.WriteAllText(Path.Combine(folder, "server.js"), $$"""
        const http = require('http');
        const fs = require('fs');
        http.createServer((req, res) => {
          if (req.url === '/static') { fs.readFile(__dirname + '/static.txt', (e, d) => res.end(e ? 'missing' : d)); return; }
          console.log(`request ${req.method} ${req.url}`);
          res.end(`version {{version}} pid ${process.pid}`);
        }).listen(process.env.PORT || 8080);
        """);

    private async Task<string?> GetAsync(string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(session.Url!), path));
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private Task<(string Version, string Pid)> AnswerAsync() => AnswerUntilAsync(_ => true);

    private async Task<(string Version, string Pid)> AnswerUntilAsync(Func<string, bool> wanted)
    {
        (string, string)? answer = null;
        string? last = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                last = await GetAsync("/");
                if (last != null && Answer().Match(last) is { Success: true } m && wanted(m.Groups[1].Value))
                {
                    answer = (m.Groups[1].Value, m.Groups[2].Value);
                    return true;
                }

                return false;
            },
            TimeSpan.FromSeconds(60),
            () => $"{session.Url} answers as wanted (last: {last ?? "no answer"}); events: {Describe()}");
        return answer!.Value;
    }

    /// <summary>The container's files as its helper lists them, over a connection of our own.</summary>
    private async Task<Dictionary<string, FileEntry>> ContainerFilesAsync()
    {
        var secret = await cluster.Client.CoreV1.ReadNamespacedSecretAsync(UpLabels.KeySecret("hello"), ns);
        var key = System.Text.Encoding.UTF8.GetString(secret.Data[UpLabels.KeySecretKey]);
        var channel = await new WebSocketPodPortConnector(cluster.Client).ConnectAsync(ns, session.Pod, HelperProtocol.DefaultPort, CancellationToken.None);
        await using var helper = await HelperClient.ConnectAsync(new PodPortStream(channel), key, CancellationToken.None);
        return (await helper.ListFilesAsync(CancellationToken.None)).ToDictionary(f => f.Path);
    }

    private async Task<List<string>> LabelledAsync(string space)
    {
        var found = new List<string>();
        foreach (var kind in ObjectKinds.All)
        {
            found.AddRange((await kind.List(cluster.Client, space, UpLabels.Service, CancellationToken.None)).Select(o => kind.Describe(o.Name())));
        }

        return found;
    }

    private string Describe() => string.Join(" | ", events.Where(e => e.Kind is not UpEventKind.Build).TakeLast(30).Select(e => $"{e.Kind}: {e.Message}"));

    [GeneratedRegex(@"^version (\S+) pid (\d+)$")]
    private static partial Regex Answer();
}
