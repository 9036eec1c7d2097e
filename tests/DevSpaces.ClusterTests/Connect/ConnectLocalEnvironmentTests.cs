using System.Globalization;
using System.Text;
using System.Text.Json;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Core.Connect;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Connect;

/// <summary>
/// The local side of a session: the sample API given a ConfigMap volume, a Secret volume (items + subPath) and an
/// emptyDir, whose files appear on this machine with the environment pointing at them; and the opt-in hosts-file
/// section, whose Service addresses reach the cluster and which is gone afterwards, also after the command is killed.
/// </summary>
[TestFixture]
[NonParallelizable]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConnectLocalEnvironmentTests() : SampleSpaceFixture("connect-local")
{
    private const string Settings = """{"greeting":"from the ConfigMap"}""";
    private const string Token = "t0ken-from-the-secret";
    private const string ForeignHosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# kept as it is\n10.20.30.40\tbuild-server\n";

    private TempDirectory folder = null!;

    /// <summary>The sample's API given a ConfigMap volume, a Secret volume (items + subPath) and an emptyDir.</summary>
    protected override async Task AfterDeployAsync()
    {
        await Space.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "api-files" },
            Data = new Dictionary<string, string> { ["settings.json"] = Settings, ["mode"] = "test" },
        }, Space.Namespace);
        await Space.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "api-secret" },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes(Token), ["other"] = Encoding.UTF8.GetBytes("not listed in items") },
        }, Space.Namespace);

        var api = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var pod = api.Spec.Template.Spec;
        pod.Volumes = [
            new V1Volume { Name = "files", ConfigMap = new V1ConfigMapVolumeSource { Name = "api-files" } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = "api-secret", Items = [new V1KeyToPath { Key = "token", Path = "auth/token.txt", Mode = 0x100 }] } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        var container = pod.Containers.Single(c => c.Name == "api");
        container.VolumeMounts = [
            new V1VolumeMount { Name = "files", MountPath = "/etc/api", ReadOnlyProperty = true },
            new V1VolumeMount { Name = "secret", MountPath = "/run/secrets/token.txt", SubPath = "auth/token.txt", ReadOnlyProperty = true },
            new V1VolumeMount { Name = "scratch", MountPath = "/scratch" },
        ];
        container.Env.Add(new V1EnvVar { Name = "API_SETTINGS", Value = "/etc/api/settings.json" });
        container.Env.Add(new V1EnvVar { Name = "TOKEN_FILE", Value = "/run/secrets/token.txt" });
        await Space.Client.AppsV1.ReplaceNamespacedDeploymentAsync(api, "api", Space.Namespace);
        await ClusterWaits.DeploymentReadyAsync(Space.Client, Space.Namespace, "api", TimeSpan.FromSeconds(120));
    }

    [SetUp]
    public void CreateFolder() => folder = new TempDirectory();

    // Runs before the base fixture's wait for the clean service (NUnit runs derived tear-downs first).
    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private LocalFiles Local(string hostsPath) => new(new HostsFile(hostsPath), new MountFolders(Path.Combine(folder.Path, "mounts")));

    private Task<(ConnectSession Session, EventRecorder Events)> ConnectAsync(LocalFiles local, bool hosts = false) =>
        ConnectAsync(new ConnectRequest(Space.Namespace, "api", LocalHttpServer.FreePort()) { WriteHosts = hosts }, local);

    [Test]
    public async Task Mounted_ConfigMap_And_Secret_Files_Are_Copied_With_Paths_Mapped_And_Deleted_On_Disconnect()
    {
        var (session, events) = await ConnectAsync(Local(folder.File("hosts", ForeignHosts)));
        string root;
        await using (session)
        {
            root = session.MountRoot!;
            var env = session.Environment;
            Assert.Multiple(() =>
            {
                Assert.That(env[ConnectSession.MountRootVariable], Is.EqualTo(root));
                Assert.That(env["API_SETTINGS"], Is.EqualTo(Path.Combine(root, "etc/api/settings.json")), "the path in the value points at the copy");
                Assert.That(env["TOKEN_FILE"], Is.EqualTo(Path.Combine(root, "run/secrets/token.txt")));
                Assert.That(File.ReadAllText(env["API_SETTINGS"]), Is.EqualTo(Settings));
                Assert.That(File.ReadAllText(Path.Combine(root, "etc/api/mode")), Is.EqualTo("test"));
                Assert.That(File.ReadAllText(env["TOKEN_FILE"]), Is.EqualTo(Token));
                Assert.That(File.GetUnixFileMode(env["TOKEN_FILE"]), Is.EqualTo(UnixFileMode.UserRead), "the item's mode 0400");
                Assert.That(File.GetUnixFileMode(root), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
                Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, "run/secrets")), Is.EqualTo(new[] { env["TOKEN_FILE"] }), "only the subPath's file");
                Assert.That(session.Mounts.Select(m => (m.ContainerPath, m.Kind, Copied: m.LocalPath != null)), Is.EquivalentTo(new[]
                {
                    ("/etc/api", "configMap", true),
                    ("/run/secrets/token.txt", "secret", true),
                    ("/scratch", "emptyDir", false),
                }));
                Assert.That(events.All.Where(e => e.Kind == ConnectEventKind.Warning).Select(e => e.Message), Has.Some.Contains("/scratch").And.Some.Contains("not copied"));
                Assert.That(events.Describe(), Does.Not.Contain(Token), "secrets are never reported");
            });
        }

        Assert.That(Directory.Exists(root), Is.False, "the copies are deleted when the session ends");
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(folder.Path, "mounts")), Is.Empty, "nothing is left of the session's folder");
        Assert.That(await File.ReadAllTextAsync(Path.Combine(folder.Path, "hosts")), Is.EqualTo(ForeignHosts), "without --hosts the hosts file is not touched");
    }

    [Test]
    public async Task With_Hosts_Each_Service_Answers_On_Its_Own_Loopback_Address_Named_In_The_Hosts_File_Until_Disconnect()
    {
        var hostsPath = folder.File("hosts", ForeignHosts);
        var (session, _) = await ConnectAsync(Local(hostsPath), hosts: true);
        await using (session)
        {
            var quotes = session.Endpoints.Single(e => e.Service == "quotes");
            Assert.That(quotes.HostAddress, Does.StartWith("127.77."));
            var text = await File.ReadAllTextAsync(hostsPath);
            Assert.That(text, Does.StartWith(ForeignHosts), "lines outside the section are untouched");
            Assert.That(text, Does.Contain($"# BEGIN devspaces {session.Record.Session} owner={ProcessIdentity.Current()}").And.Contain($"# END devspaces {session.Record.Session}"));
            Assert.That(text, Does.Contain($"{quotes.HostAddress}\tquotes quotes.{Space.Namespace} quotes.{Space.Namespace}.svc quotes.{Space.Namespace}.svc.cluster.local"));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            var answer = await http.GetStringAsync($"http://{quotes.HostAddress}:{quotes.ServicePort}/quote");
            Assert.That(JsonDocument.Parse(answer).RootElement.GetProperty("service").GetString(), Is.EqualTo("quotes"), "the request on the Service's real port reached the cluster service");

            // Name resolution as a local process sees it: in a mount namespace of its own whose /etc/hosts is this file.
            var resolved = await ScriptRunner.RunAsync("unshare",
                ["-m", "sh", "-c", "mount --bind \"$1\" /etc/hosts && curl -sS --max-time 20 http://quotes/quote && echo && curl -sS --max-time 20 \"http://quotes.$2.svc.cluster.local/quote\"", "sh", hostsPath, Space.Namespace],
                TimeSpan.FromSeconds(60));
            Assert.That(resolved.ExitCode, Is.Zero, $"curl http://quotes with the section as /etc/hosts: {resolved.Stderr}");
            var answers = resolved.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(answers.Select(a => JsonDocument.Parse(a).RootElement.GetProperty("service").GetString()), Is.EqualTo(new[] { "quotes", "quotes" }), "plain and fully qualified names reach the cluster service");
        }

        Assert.That(await File.ReadAllTextAsync(hostsPath), Is.EqualTo(ForeignHosts), "the section is removed when the session ends");
    }

    [Test]
    public async Task A_Killed_Connect_Commands_Hosts_Section_And_Mount_Copies_Are_Removed_By_The_Next_Start()
    {
        var hostsPath = folder.File("hosts", ForeignHosts);
        var runtime = Directory.CreateDirectory(Path.Combine(folder.Path, "runtime")).FullName;
        var environment = new Dictionary<string, string> { [HostsFile.PathVariable] = hostsPath, ["XDG_RUNTIME_DIR"] = runtime };
        using (var command = new ConnectCommandProcess(Space.Cluster.KubeconfigPath,
            ["connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(CultureInfo.InvariantCulture), "--space", Space.Namespace, "--hosts"], environment))
        {
            await command.WaitForOutputAsync("press Ctrl-C", TimeSpan.FromMinutes(3));
            Assert.That(command.StandardError, Does.Contain($"{hostsPath} names the services").And.Contain("quotes→127.77."));
            Assert.That(await File.ReadAllTextAsync(hostsPath), Does.Contain($"owner={command.Process.Id}."));
            Assert.That(Directory.GetDirectories(Path.Combine(runtime, "devspaces-mounts")), Has.Length.EqualTo(1), "the command's mount copies");
            Assert.That(command.StandardError, Does.Not.Contain(Token), "secrets are never printed");
            command.Process.Kill(); // SIGKILL: no chance to clean up
            await command.Process.WaitForExitAsync();
        }

        Assert.That(await File.ReadAllTextAsync(hostsPath), Does.Contain("# BEGIN devspaces"), "a killed command leaves its section");
        await ClusterWaits.ConditionAsync(() => Space.IsRestoredAsync("api", 1), TimeSpan.FromSeconds(15), () => "the agent restored api after the command was killed");
        await Space.WaitUntilCleanAsync("api", TimeSpan.FromSeconds(90));

        // The next start: a daemon with the same hosts file and runtime folder removes the remains before it serves,
        // and a session over RPC with hosts and without mounts writes and removes its own section.
        var previous = new Dictionary<string, string?>();
        foreach (var (name, value) in environment.Append(new("DEVSPACES_AGENT_BASE_IMAGE", SampleSpace.TestBaseImage)))
        {
            previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            await using var daemon = DaemonConnection.Start(new DaemonOptions(null, null, Space.Cluster.KubeconfigPath));
            await daemon.InitializeAsync(folder.Path);
            Assert.That(await File.ReadAllTextAsync(hostsPath), Is.EqualTo(ForeignHosts), "the crashed command's section is gone, nothing else changed");
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(runtime, "devspaces-mounts")), Is.Empty, "the crashed command's mount copies are gone");

            var info = await daemon.CallAsync<ConnectInfo>("connect/start", new { service = "api", localPort = LocalHttpServer.FreePort(), space = Space.Namespace, mounts = false, hosts = true });
            Assert.That(info.Mounts, Is.Empty);
            Assert.That(info.Environment.Select(e => e.Name), Does.Not.Contain(ConnectSession.MountRootVariable));
            Assert.That(info.Endpoints.Single(e => e.Service == "quotes").HostAddress, Does.StartWith("127.77."));
            Assert.That(await File.ReadAllTextAsync(hostsPath), Does.Contain($"# BEGIN devspaces {info.Session} owner={ProcessIdentity.Current()}"));
            await daemon.CallAsync<JsonElement>("connect/stop", new { session = info.Session });
            Assert.That(await File.ReadAllTextAsync(hostsPath), Is.EqualTo(ForeignHosts));
        }
        finally
        {
            foreach (var (name, value) in previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [TestCase(false, "and it cannot", TestName = "Without_The_Right_To_Write_The_Hosts_File_Connect_Fails_Clearly_Before_The_Cluster_Changes")]
    [TestCase(true, "may not", TestName = "Without_The_Right_To_Bind_Port_80_Connect_Fails_Clearly_Before_The_Cluster_Changes")]
    public async Task An_Unprivileged_User_With_Hosts_Gets_An_Actionable_Error_And_Nothing_Changes(bool hostsWritable, string expected)
    {
        // The real command as user nobody: it may read its own copy of the kubeconfig, and (in the second case) write the hosts file.
        var before = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        var hostsPath = folder.File("hosts", ForeignHosts);
        var kubeconfig = folder.File("kubeconfig", await File.ReadAllTextAsync(Space.Cluster.KubeconfigPath));
        var home = Directory.CreateDirectory(Path.Combine(folder.Path, "home")).FullName;
        foreach (var owned in hostsWritable ? new[] { kubeconfig, home, hostsPath } : [kubeconfig, home])
        {
            Assert.That((await ScriptRunner.RunAsync("chown", ["65534:65534", owned], TimeSpan.FromSeconds(10))).ExitCode, Is.Zero);
        }

        var result = await ScriptRunner.RunAsync("setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "env", $"KUBECONFIG={kubeconfig}", $"HOME={home}", $"{HostsFile.PathVariable}={hostsPath}",
             "dotnet", Path.Combine(AppContext.BaseDirectory, "devspaces.dll"),
             "connect", "api", "--local-port", LocalHttpServer.FreePort().ToString(CultureInfo.InvariantCulture), "--space", Space.Namespace, "--workspace", home, "--hosts"],
            TimeSpan.FromMinutes(2));

        Assert.That(result.ExitCode, Is.EqualTo(1), $"stdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        Assert.That(result.Stderr, Does.Contain(expected).And.Contain("--hosts"));
        if (hostsWritable)
        {
            Assert.That(result.Stderr, Does.Contain(":80").And.Contain("ip_unprivileged_port_start"), "what, where and how to fix");
        }
        else
        {
            Assert.That(result.Stderr, Does.Contain(hostsPath).And.Contain("sudo"), "what, where and how to fix");
        }

        Assert.That(await File.ReadAllTextAsync(hostsPath), Is.EqualTo(ForeignHosts));
        var after = await Space.Client.AppsV1.ReadNamespacedDeploymentAsync("api", Space.Namespace);
        Assert.That(after.Metadata.Generation, Is.EqualTo(before.Metadata.Generation), "the workload was not touched");
        Assert.That(after.Metadata.Annotations?.Keys ?? [], Is.EquivalentTo(before.Metadata.Annotations?.Keys ?? []));
        Assert.That(await Space.LeftoversAsync("api"), Is.Empty);
    }
}
