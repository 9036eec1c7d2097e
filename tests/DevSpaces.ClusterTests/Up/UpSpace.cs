using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Up;
using Docker.DotNet;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// What the up and debug tests run a service with: a namespace of its own on the test cluster, an empty folder for the
/// service's files, and the up pipeline built as the CLI builds it (on the bundled cluster's local helper base image).
/// Disposing it deletes the namespace and the folder.
/// </summary>
public sealed class UpSpace : IAsyncDisposable
{
    public const string HelperBase = "devspaces.local/debian:bookworm";

    private UpSpace(TestCluster cluster, DockerClient docker, ClusterConnection connection, string ns, string folder)
    {
        Cluster = cluster;
        Docker = docker;
        Connection = connection;
        Namespace = ns;
        Folder = folder;
    }

    public TestCluster Cluster { get; }

    public DockerClient Docker { get; }

    public ClusterConnection Connection { get; }

    public string Namespace { get; }

    public string Folder { get; }

    public static async Task<UpSpace> CreateAsync(string prefix, CancellationToken cancellationToken)
    {
        var cluster = await TestCluster.ConnectAsync();
        var docker = DockerEngine.Connect();
        var loaded = new KubeconfigSource(cluster.KubeconfigPath, null, null).Load();
        var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
        var ns = await cluster.CreateNamespaceAsync(prefix, cancellationToken);
        return new UpSpace(cluster, docker, connection, ns, Directory.CreateTempSubdirectory($"devspaces-{prefix}-").FullName);
    }

    /// <summary>The up pipeline through <paramref name="connection"/> (default: the cluster admin's), with <paramref name="dotNetDebugger"/> as the .NET debugger's folder.</summary>
    public UpService CreateService(ClusterConnection? connection = null, string? dotNetDebugger = null) => CreateService(connection ?? Connection, Docker, dotNetDebugger);

    /// <summary>The up pipeline through <paramref name="through"/> with images built by <paramref name="docker"/>, as in a space made otherwise.</summary>
    public static UpService CreateService(ClusterConnection through, DockerClient docker, string? dotNetDebugger = null)
    {
        var builder = new ImageBuilder(docker);
        var delivery = new ImageDelivery(docker, through.Client, new ImageDeliverySettings());
        var settings = new UpSettings { HelperBaseImage = HelperBase, DotNetDebuggerFolder = dotNetDebugger };
        return new UpService(through, docker, builder, delivery, new HelperImage(builder, delivery, settings), new WebSocketPodPortConnector(through.Client), settings, new NullLog());
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DeleteNamespaceAsync(Namespace);
        Connection.Dispose();
        Docker.Dispose();
        Cluster.Dispose();
        Directory.Delete(Folder, true);
    }
}
