using System.Text.Json;
using DevSpaces.Cli.Daemon;
using DevSpaces.Contracts;
using DevSpaces.Core.Spaces;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>
/// A daemon (in this process, over an in-memory stream) connected to the real test cluster, a private
/// workspace folder, and an admin client that plays "someone using kubectl". Every namespace a test
/// names through <see cref="Unique"/> is deleted afterwards, also when the test fails.
/// </summary>
public abstract class SpaceTestBase
{
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);
    private readonly List<string> names = [];

    protected TestKubeconfig Kubeconfig { get; private set; } = null!;

    protected Kubernetes Admin { get; private set; } = null!;

    protected TempDirectory Folder { get; private set; } = null!;

    protected DaemonConnection Daemon { get; private set; } = null!;

    [SetUp]
    public void ConnectToTheCluster()
    {
        Kubeconfig = TestKubeconfig.Find();
        Admin = Kubeconfig.AdminClient();
        Folder = new TempDirectory();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Folder.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [TearDown]
    public async Task CleanUp()
    {
        if (Daemon != null)
        {
            await Daemon.DisposeAsync();
            Daemon = null!;
        }

        if (Admin == null)
        {
            return; // SetUp failed before anything was created.
        }

        foreach (var name in names)
        {
            try
            {
                await Admin.CoreV1.DeleteNamespaceAsync(name);
            }
            catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
            }
        }

        names.Clear();
        await CleanUpMoreAsync();
        Admin.Dispose();
        Admin = null!;
        Folder.Dispose();
    }

    /// <summary>For subclasses that create cluster-scoped objects.</summary>
    protected virtual Task CleanUpMoreAsync() => Task.CompletedTask;

    /// <summary>A namespace name unique to this run, deleted in TearDown.</summary>
    protected string Unique(string stem)
    {
        var name = $"dst-{stem}-{Guid.NewGuid().ToString("N")[..6]}";
        names.Add(name);
        return name;
    }

    /// <summary>Starts the daemon on <paramref name="kubeconfig"/> (default: the test cluster's) and initializes it for the workspace folder.</summary>
    protected async Task<InitializeResult> StartDaemonAsync(string? kubeconfig = null, TimeSpan? watchTimeout = null)
    {
        Daemon = DaemonConnection.Start(new DaemonOptions(null, null, kubeconfig ?? Kubeconfig.Path, watchTimeout));
        return await Daemon.InitializeAsync(Folder.Path);
    }

    /// <summary>Waits for <c>connection/status</c> connected: from then on the daemon's watches are established.</summary>
    protected Task<RpcNotification> WaitUntilConnectedAsync(int from = 0) =>
        Daemon.Notifications.WaitForAsync(n => n.Method == RpcNotifications.ConnectionStatus && n.Text("state") == "connected", WaitTimeout, "connection/status connected", from);

    protected Task<RpcNotification> WaitForNotificationAsync(string method, Func<RpcNotification, bool> match, string because, int from = 0) =>
        Daemon.Notifications.WaitForAsync(n => n.Method == method && match(n), WaitTimeout, because, from);

    protected async Task<V1Namespace?> ReadNamespaceAsync(string name)
    {
        try
        {
            return await Admin.CoreV1.ReadNamespaceAsync(name);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>What kubectl would do: create a namespace, optionally as a space.</summary>
    protected Task<V1Namespace> CreateNamespaceOutsideAsync(string name, string? parent = null, bool space = true)
    {
        var labels = new Dictionary<string, string>();
        if (space)
        {
            labels[SpaceLabels.Space] = "true";
        }

        if (parent != null)
        {
            labels[SpaceLabels.Parent] = parent;
        }

        return Admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } });
    }

    protected WorkspaceStateFile ReadStateFile()
    {
        var path = Path.Combine(Folder.Path, ".devspaces", "state.json");
        Assert.That(File.Exists(path), Is.True, $"{path} should exist");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        string? Get(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new WorkspaceStateFile(Get("context"), Get("space"));
    }

    protected sealed record WorkspaceStateFile(string? Context, string? Space);
}
