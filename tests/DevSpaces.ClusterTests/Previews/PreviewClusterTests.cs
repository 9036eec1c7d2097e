using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DevSpaces.ClusterTests.Spaces;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using DevSpaces.Tests.Support;
using Docker.DotNet;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Previews;

/// <summary>
/// Pull-request previews end to end on the real cluster, through the <c>devspaces</c> executable: a routed root space
/// runs web → api; each pull request's preview holds only the service it changed and its URL answers with that
/// version while the root's answers stay the same; a new commit updates a preview in place; down leaves nothing.
/// </summary>
public class PreviewClusterTests
{
    private const string NodeImage = "NODE_IMAGE=devspaces.local/node:20";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private TestCluster cluster = null!;
    private TempDirectory files = null!;
    private string root = null!;
    private string pr1 = null!;
    private string pr2 = null!;
    private int nodePort;

    [OneTimeSetUp]
    public async Task DeployTheRootAndRouteIt()
    {
        cluster = await TestCluster.ConnectAsync();
        files = new TempDirectory();
        using var cts = new CancellationTokenSource(Timeout);
        root = await cluster.CreateNamespaceAsync("pv", cts.Token);
        pr1 = $"{root}-pr-1";
        pr2 = $"{root}-pr-2";
        await cluster.Client.CoreV1.PatchNamespaceAsync(new V1Patch("""{"metadata":{"labels":{"devspaces.io/space":"true"}}}""", V1Patch.PatchType.MergePatch), root, cancellationToken: cts.Token);
        var app = WriteApp("base", "base", "base");

        // The baseline, deployed as up does (the previews run the same pipeline through the CLI).
        using var docker = DockerEngine.Connect();
        var loaded = new KubeconfigSource(cluster.KubeconfigPath, null, null).Load();
        using var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
        var builder = new ImageBuilder(docker);
        var delivery = new ImageDelivery(docker, cluster.Client, new ImageDeliverySettings());
        var settings = new UpSettings { HelperBaseImage = "devspaces.local/debian:bookworm" };
        var up = new UpService(connection, docker, builder, delivery, new HelperImage(builder, delivery, settings), new WebSocketPodPortConnector(cluster.Client), settings, new NullLog());
        var args = new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" };
        foreach (var service in new[] { "api", "web" })
        {
            var deployed = await up.DeployOnceAsync(Path.Combine(app, service), root, [], args, null, _ => { }, cts.Token);
            Assert.That(deployed.Manifests.Template.Spec.Containers[0].Command, Is.EqualTo(new[] { "node", "server.js" }), "deployed once: no helper in front of the app");
        }

        var routing = await RunAsync(["routing", "enable", "--space", root, "--entry", "web", "--output", "json"]);
        Assert.That(routing.Code, Is.Zero, routing.Err);
        var url = JsonDocument.Parse(routing.Out).RootElement.GetProperty("spaces")[0].GetProperty("url").GetString()!;
        nodePort = new Uri(url).Port;
        await AnswerAsync(root, "web base > api base");
    }

    [OneTimeTearDown]
    public async Task RemoveEverything()
    {
        foreach (var ns in new[] { pr1, pr2, $"{root}-lp", $"{root}-ca", $"pr-{WorkflowPullRequest}", root }.Where(n => n != null))
        {
            await cluster.DeleteNamespaceAsync(ns);
        }

        files?.Dispose();
        cluster?.Dispose();
    }

    /// <summary>The app's two services in a folder of their own: web answers "web V > " and api's answer (passing on the routing key).</summary>
    private string WriteApp(string name, string webVersion, string apiVersion)
    {
        var app = Path.Combine(files.Path, name);
        foreach (var (service, version) in new[] { ("web", webVersion), ("api", apiVersion) })
        {
            var folder = Path.Combine(app, service);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "package.json"), $$"""{ "name": "{{service}}", "version": "1.0.0", "main": "server.js" }""");
            WriteServer(folder, service, version);
            ProjectPreparer.Prepare(folder, service);
        }

        return app;
    }

    private static void WriteServer(string folder, string service, string version) => File.WriteAllText(Path.Combine(folder, "server.js"), service == "api"
        ? $$"""
            require('http').createServer((req, res) => res.end('api {{version}}')).listen(8080);
            """
        : $$"""
            const http = require('http');
            http.createServer((req, res) => {
              const headers = {};
              for (const h of ['devspaces-route-as', 'baggage']) if (req.headers[h]) headers[h] = req.headers[h];
              http.get('http://api/', { headers, timeout: 5000 }, a => {
                let d = ''; a.on('data', c => d += c); a.on('end', () => res.end('web {{version}} > ' + d));
              }).on('error', e => { res.statusCode = 502; res.end('web {{version}} > ' + e.message); });
            }).listen(8080);
            """);

    /// <summary>The preview's copy of the app with one service at another version, as a pull request's checkout.</summary>
    private string Checkout(string name, string service, string version)
    {
        var app = WriteApp(name, "base", "base");
        WriteServer(Path.Combine(app, service), service, version);
        return app;
    }

    [Test, Order(1)]
    public async Task Two_Pull_Requests_Each_Serve_Their_Own_Version_And_The_Root_Is_Unchanged()
    {
        var one = Checkout("pr1", "web", "pr1");
        var two = Checkout("pr2", "api", "pr2");

        var first = await RunAsync(["preview", "up", "--name", pr1, "--parent", root, "--service", Path.Combine(one, "web"), "--build-arg", NodeImage, "--commit", "1111111aaaa", "--pr", "1", "--output", "json"]);
        var second = await RunAsync(["preview", "up", "--name", pr2, "--parent", root, "--service", Path.Combine(two, "api"), "--build-arg", NodeImage, "--commit", "2222222bbbb", "--pr", "2", "--output", "json"]);
        Assert.That(first.Code, Is.Zero, first.Err);
        Assert.That(second.Code, Is.Zero, second.Err);

        var info = JsonDocument.Parse(first.Out).RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(info.GetProperty("name").GetString(), Is.EqualTo(pr1));
            Assert.That(info.GetProperty("commit").GetString(), Is.EqualTo("1111111aaaa"));
            Assert.That(info.GetProperty("pullRequest").GetInt32(), Is.EqualTo(1));
            Assert.That(info.GetProperty("url").GetString(), Is.EqualTo($"http://{pr1}.s.{root}.localhost:{nodePort}/"));
            Assert.That(info.GetProperty("services")[0].GetProperty("service").GetString(), Is.EqualTo("web"));
        });

        await AnswerAsync(pr1, "web pr1 > api base");
        await AnswerAsync(pr2, "web base > api pr2");
        await AnswerAsync(root, "web base > api base");
        var labels = (await cluster.Client.CoreV1.ReadNamespaceAsync(pr1)).Metadata.Labels;
        Assert.That(labels, Does.Contain(new KeyValuePair<string, string>("devspaces.io/parent", root)).And.Contain(new KeyValuePair<string, string>("devspaces.io/preview", "true")));
        Assert.That((await cluster.Client.AppsV1.ListNamespacedDeploymentAsync(pr1)).Items.Select(d => d.Name()), Is.EqualTo(new[] { "web" }), "only the changed service");
    }

    [Test, Order(2)]
    public async Task Up_Again_With_A_New_Commit_Updates_The_Same_Space_In_Place()
    {
        var uid = (await cluster.Client.CoreV1.ReadNamespaceAsync(pr1)).Metadata.Uid;
        var next = Checkout("pr1-next", "web", "pr1-next");
        var again = await RunAsync(["preview", "up", "--name", pr1, "--parent", root, "--service", Path.Combine(next, "web"), "--build-arg", NodeImage, "--commit", "3333333cccc", "--pr", "1"]);
        Assert.That(again.Code, Is.Zero, again.Err);
        Assert.That(again.Out, Does.Contain($"Preview '{pr1}' of '{root}' is ready (web): http://{pr1}.s.{root}.localhost:{nodePort}/"));
        var ns = await cluster.Client.CoreV1.ReadNamespaceAsync(pr1);
        Assert.That(ns.Metadata.Uid, Is.EqualTo(uid), "the same space");
        Assert.That(ns.Metadata.Annotations["devspaces.io/preview-commit"], Is.EqualTo("3333333cccc"));
        await AnswerAsync(pr1, "web pr1-next > api base");
        await AnswerAsync(root, "web base > api base");
    }

    [Test, Order(3)]
    public async Task List_Shows_The_Previews_Of_The_Root_With_Commit_Age_And_Url()
    {
        var list = await RunAsync(["preview", "list", "--parent", root]);
        Assert.That(list.Code, Is.Zero, list.Err);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.Match("^NAME +PARENT +PR +COMMIT +AGE +URL$"));
        Assert.That(lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]), Is.EquivalentTo(new[] { pr1, pr2 }));
        Assert.That(lines.Single(l => l.StartsWith(pr1 + " ", StringComparison.Ordinal)), Does.Match($@"{root} +1 +3333333 +\d+s +http://{pr1}\.s\.{root}\.localhost:{nodePort}/"));
        var pruned = await RunAsync(["preview", "prune", "--older-than", "7d", "--parent", root]);
        Assert.That(pruned.Code, Is.Zero, pruned.Err);
        Assert.That((await cluster.Client.CoreV1.ReadNamespaceAsync(pr1)).Status.Phase, Is.EqualTo("Active"), "a fresh preview is not stale");
    }

    [Test, Order(4)]
    public async Task Down_Removes_Only_Previews_And_Leaves_Nothing()
    {
        var refused = await RunAsync(["preview", "down", "--name", root]);
        Assert.That(refused.Code, Is.EqualTo(1));
        Assert.That(refused.Err, Does.Contain($"Namespace '{root}' exists and is not a preview"));
        Assert.That((await cluster.Client.CoreV1.ReadNamespaceAsync(root)).Status.Phase, Is.EqualTo("Active"));

        foreach (var name in new[] { pr1, pr2 })
        {
            var down = await RunAsync(["preview", "down", "--name", name]);
            Assert.That(down.Code, Is.Zero, down.Err);
        }

        await ClusterWaits.ConditionAsync(async () => await GoneAsync(pr1) && await GoneAsync(pr2), Timeout, () => "both preview namespaces are gone");
        var again = await RunAsync(["preview", "down", "--name", pr1]);
        Assert.That(again.Code, Is.Zero, again.Err);
        Assert.That(again.Out, Does.Contain("nothing to remove"));
        var routes = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("devspaces-routing", root);
        Assert.That(routes.Data["spaces.json"], Does.Not.Contain(pr1).And.Not.Contain(pr2), "the router forgot them");
        await AnswerAsync(root, "web base > api base");
    }

    [Test, Order(5)]
    public async Task A_Namespace_Scoped_Account_Runs_The_Same_Commands_In_A_Space_An_Administrator_Created()
    {
        var space = $"{root}-lp";
        var created = new List<string>();
        try
        {
            // As the README says: the account once per root, then each preview space with its binding.
            created.AddRange(await ApplyDocAsync("account.yaml", new() { ["ROOT"] = root }));
            await ApplyDocAsync("preview-space.yaml", new() { ["ROOT"] = root, ["PREVIEW"] = space });
            var kubeconfig = await AccountKubeconfigAsync("devspaces-preview");
            var (app, image) = await BuiltCheckoutAsync("lp");

            var up = await RunAsync(["preview", "up", "--name", space, "--parent", root, "--service", Path.Combine(app, "web"), "--image", $"web={image}", "--commit", "4444444dddd", "--pr", "4", "--output", "json"], kubeconfig);
            Assert.That(up.Code, Is.Zero, up.Err);
            Assert.That(JsonDocument.Parse(up.Out).RootElement.GetProperty("url").GetString(), Is.EqualTo($"http://{space}.s.{root}.localhost:{nodePort}/"));
            await AnswerAsync(space, "web lp > api base");

            var other = await RunAsync(["preview", "up", "--name", $"{root}-nope", "--parent", root], kubeconfig);
            Assert.That(other.Code, Is.EqualTo(1));
            Assert.That(other.Err, Does.Contain($"Not allowed to create the preview space '{root}-nope'").And.Contain("have an administrator create it first"));
            var rootRefused = await RunAsync(["preview", "down", "--name", root], kubeconfig);
            Assert.That(rootRefused.Code, Is.EqualTo(1), "the root is not a preview");

            var down = await RunAsync(["preview", "down", "--name", space], kubeconfig);
            Assert.That(down.Code, Is.Zero, down.Err);
            await ClusterWaits.ConditionAsync(() => GoneAsync(space), Timeout, () => $"{space} is gone");
            Assert.That((await cluster.Client.CoreV1.ReadNamespaceAsync(root)).Status.Phase, Is.EqualTo("Active"));
        }
        finally
        {
            await DeleteClusterScopedAsync(created);
        }
    }

    [Test, Order(7)]
    public async Task An_Account_Allowed_To_Create_Namespaces_Creates_Lists_And_Removes_Previews_Itself()
    {
        var space = $"{root}-ca";
        var created = new List<string>();
        try
        {
            created.AddRange(await ApplyDocAsync("account.yaml", new() { ["ROOT"] = root }));
            created.AddRange(await ApplyDocAsync("create-namespaces.yaml", new() { ["ROOT"] = root }));
            var kubeconfig = await AccountKubeconfigAsync("devspaces-preview");
            var (app, image) = await BuiltCheckoutAsync("ca");

            var up = await RunAsync(["preview", "up", "--name", space, "--parent", root, "--service", Path.Combine(app, "web"), "--image", $"web={image}", "--pr", "5"], kubeconfig);
            Assert.That(up.Code, Is.Zero, up.Err);
            await AnswerAsync(space, "web ca > api base");
            var list = await RunAsync(["preview", "list", "--parent", root, "--output", "json"], kubeconfig);
            Assert.That(list.Code, Is.Zero, list.Err);
            Assert.That(JsonDocument.Parse(list.Out).RootElement.GetProperty("previews").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[] { space }));
            var down = await RunAsync(["preview", "down", "--name", space], kubeconfig);
            Assert.That(down.Code, Is.Zero, down.Err);
            await ClusterWaits.ConditionAsync(() => GoneAsync(space), Timeout, () => $"{space} is gone");
        }
        finally
        {
            await DeleteClusterScopedAsync(created);
        }
    }

    /// <summary>A checkout whose web answers with <paramref name="version"/>, and its image, as a CI job built and pushed it before (the preview account may not list nodes to tell how to deliver one).</summary>
    private async Task<(string App, string Image)> BuiltCheckoutAsync(string version)
    {
        var app = Checkout(version, "web", version);
        using var docker = DockerEngine.Connect();
        var built = await new ImageBuilder(docker).BuildAsync(
            new ImageBuildRequest(Path.Combine(app, "web"), "web") { BuildArgs = new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" } }, null, CancellationToken.None);
        return (app, built.Reference);
    }

    private async Task DeleteClusterScopedAsync(IEnumerable<string> objects)
    {
        foreach (var item in objects)
        {
            var (kind, name) = (item.Split('/')[0], item.Split('/')[1]);
            await (kind == "ClusterRole"
                ? cluster.Client.RbacAuthorizationV1.DeleteClusterRoleAsync(name)
                : cluster.Client.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name));
        }
    }

    [Test, Order(6)]
    public async Task The_Workflow_Steps_Deploy_And_Remove_The_Pull_Requests_Preview_With_The_Environment_The_Workflow_Gives()
    {
        var workflow = WorkflowJob.Read(Path.Combine(TestCluster.RepositoryRoot, ".github", "workflows", "devspaces-preview.yml"), "preview");
        var workspace = Path.Combine(files.Path, "ws");
        Checkout(Path.Combine("ws", "app"), "web", "ws");
        Directory.CreateSymbolicLink(Path.Combine(workspace, ".devspaces"), TestCluster.RepositoryRoot);
        var sha = "5555555eeeeffff0000111122223333444455556";
        var expressions = new Dictionary<string, string>
        {
            ["github.workspace"] = workspace,
            ["github.event.pull_request.number"] = WorkflowPullRequest.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["github.event.pull_request.head.sha"] = sha,
            ["secrets.kubeconfig"] = await File.ReadAllTextAsync(cluster.KubeconfigPath),
            ["inputs.parent"] = root,
            ["inputs.services"] = "web\n",
            ["inputs.images"] = "",
            ["inputs.build-args"] = NodeImage + "\n",
        };

        var up = workflow.Step("up");
        Assert.That(up.Condition, Is.EqualTo("github.event.action != 'closed'"), "up runs on opened, synchronize and reopened");
        var (code, outputs, log) = await RunStepAsync(workflow, up, workspace, expressions);
        Assert.That(code, Is.Zero, log);
        var name = $"pr-{WorkflowPullRequest}";
        Assert.That(outputs, Does.Contain($"name={name}\n").And.Contain($"url=http://{name}.s.{root}.localhost:{nodePort}/\n"));
        Assert.That((await cluster.Client.CoreV1.ReadNamespaceAsync(name)).Metadata.Annotations["devspaces.io/preview-commit"], Is.EqualTo(sha));
        await AnswerAsync(name, "web ws > api base");
        Assert.That(Directory.GetFiles(Path.Combine(files.Path, "runner")), Is.Empty, "the kubeconfig file is removed");

        var down = workflow.Step("down");
        Assert.That(down.Condition, Is.EqualTo("github.event.action == 'closed'"));
        var cancelled = workflow.Steps.Single(s => s.Condition?.Contains("cancelled()", StringComparison.Ordinal) == true);
        Assert.That(cancelled.Run, Is.EqualTo(down.Run), "a cancelled run removes the preview as a closed pull request does");
        (code, outputs, log) = await RunStepAsync(workflow, down, workspace, expressions);
        Assert.That(code, Is.Zero, log);
        await ClusterWaits.ConditionAsync(() => GoneAsync(name), Timeout, () => $"{name} is gone");
    }

    /// <summary>Runs a step's <c>run:</c> with bash as the runner would: the job's and the step's env, GITHUB_OUTPUT, RUNNER_TEMP.</summary>
    private async Task<(int Code, string Outputs, string Log)> RunStepAsync(WorkflowJob job, WorkflowStep step, string workspace, IReadOnlyDictionary<string, string> expressions)
    {
        var runner = Directory.CreateDirectory(Path.Combine(files.Path, "runner")).FullName;
        var output = Path.Combine(files.Path, $"output-{step.Id}");
        File.WriteAllText(output, "");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH")!,
            ["HOME"] = files.Path,
            ["GITHUB_OUTPUT"] = output,
            ["GITHUB_WORKSPACE"] = workspace,
            ["RUNNER_TEMP"] = runner,
        };
        foreach (var (key, value) in job.Env.Concat(step.Env))
        {
            environment[key] = WorkflowJob.Evaluate(value, expressions);
        }

        var directory = step.WorkingDirectory is { } relative ? Path.Combine(workspace, relative) : workspace;
        var (code, stdout, stderr) = await RunProcessAsync("bash", ["-e", "-c", step.Run ?? throw new AssertionException($"step {step.Id} has no run")], directory, environment);
        return (code, File.ReadAllText(output), $"{stdout}\n{stderr}");
    }

    /// <summary>Applies one of docs/previews/*.yaml with its ${VARIABLES} filled in; returns the cluster-scoped RBAC objects it created (kind/name).</summary>
    private async Task<List<string>> ApplyDocAsync(string file, Dictionary<string, string> variables)
    {
        var text = File.ReadAllText(Path.Combine(TestCluster.RepositoryRoot, "docs", "previews", file));
        foreach (var (name, value) in variables)
        {
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal);
        }

        Assert.That(text, Does.Not.Contain("${"), $"{file} needs only {string.Join(", ", variables.Keys)}");
        var created = new List<string>();
        foreach (var item in KubernetesYaml.LoadAllFromString(text))
        {
            try
            {
                await CreateAsync(item);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                // Applied by an earlier test of the same root: as kubectl apply, leave it.
                continue;
            }

            if (item is V1ClusterRole or V1ClusterRoleBinding)
            {
                created.Add($"{((IKubernetesObject)item).Kind}/{((IMetadata<V1ObjectMeta>)item).Name()}");
            }
        }

        return created;
    }

    private Task CreateAsync(object item)
    {
        var rbac = cluster.Client.RbacAuthorizationV1;
        return item switch
        {
            V1ServiceAccount account => cluster.Client.CoreV1.CreateNamespacedServiceAccountAsync(account, account.Namespace()),
            V1Namespace ns => cluster.Client.CoreV1.CreateNamespaceAsync(ns),
            V1ClusterRole role => rbac.CreateClusterRoleAsync(role),
            V1ClusterRoleBinding binding => rbac.CreateClusterRoleBindingAsync(binding),
            V1Role role => rbac.CreateNamespacedRoleAsync(role, role.Namespace()),
            V1RoleBinding binding => rbac.CreateNamespacedRoleBindingAsync(binding, binding.Namespace()),
            _ => throw new AssertionException($"a {item.GetType().Name} in docs/previews, which this test does not apply"),
        };
    }

    /// <summary>A kubeconfig of the ServiceAccount <paramref name="account"/> of the root, with a fresh token.</summary>
    private async Task<string> AccountKubeconfigAsync(string account)
    {
        var token = await cluster.Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 3600, Audiences = [] } }, account, root);
        return TestKubeconfig.Find().Write(files.Path, account, [(account, account)], new Dictionary<string, string> { [account] = $"token: {token.Status.Token}" });
    }

    private async Task<bool> GoneAsync(string ns)
    {
        try
        {
            await cluster.Client.CoreV1.ReadNamespaceAsync(ns);
            return false;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    /// <summary>Waits until the space's URL answers <paramref name="expected"/>.</summary>
    private async Task AnswerAsync(string space, string expected)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(2) }) { Timeout = TimeSpan.FromSeconds(10) };
        string? last = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{nodePort}/");
                request.Headers.Host = $"{space}.s.{root}.localhost";
                try
                {
                    using var response = await http.SendAsync(request);
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    return response.StatusCode == HttpStatusCode.OK && last.EndsWith(expected, StringComparison.Ordinal);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    last = e.Message;
                    return false;
                }
            },
            TimeSpan.FromSeconds(90),
            () => $"{space}'s URL answers '{expected}' (last: {last})");
    }

    internal const int WorkflowPullRequest = 97531;

    /// <summary>The CLI built with these tests, as CI runs it.</summary>
    internal static string Executable() =>
        Path.Combine(TestCluster.RepositoryRoot, "daemon", "DevSpaces.Cli", "bin", new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name, "net10.0", "devspaces");

    private Task<(int Code, string Out, string Err)> RunAsync(string[] args, string? kubeconfig = null) =>
        RunProcessAsync(Executable(), args, files.Path, new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig ?? cluster.KubeconfigPath,
            ["DEVSPACES_ROUTER_BASE_IMAGE"] = "devspaces.local/dotnet-aspnet:10.0",
        });

    internal static async Task<(int Code, string Out, string Err)> RunProcessAsync(string file, IEnumerable<string> args, string directory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {Timeout.TotalMinutes} min:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
