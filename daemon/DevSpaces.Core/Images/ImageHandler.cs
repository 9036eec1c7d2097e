using System.Net.Http;
using System.Net.Sockets;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Workspace;
using Docker.DotNet;

namespace DevSpaces.Core.Images;

/// <summary>The <c>image/build</c> method: build on the local engine, then deliver to the workspace's cluster.</summary>
/// <param name="docker">The local engine's client (owned by the composition root, made on first use).</param>
public sealed class ImageHandler(WorkspaceSession session, IProgress<ImageProgressInfo> progress, Func<DockerClient> docker) : IImageRpc
{
    private readonly Lock _gate = new();

    // Whether the cluster shares the engine, remembered per cluster connection (it changes with the context).
    private (object Connection, bool Shares)? _sharedEngine;

    public async Task<ImageBuildInfo> BuildImageAsync(
        string context,
        string repository,
        string? dockerfile = null,
        IReadOnlyList<string>? buildArgs = null,
        bool deliver = true,
        string? registry = null,
        bool force = false,
        string? operationId = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ImageBuildRequest(context, repository)
        {
            Dockerfile = dockerfile ?? "Dockerfile",
            BuildArgs = ParseBuildArgs(buildArgs ?? []),
            Force = force,
        };
        var reporter = new CallbackProgress<ImageProgress>(p => progress.Report(new ImageProgressInfo(
            operationId, char.ToLowerInvariant(p.Kind.ToString()[0]) + p.Kind.ToString()[1..], p.Message, p.LayerId, p.Current, p.Total)));

        // The cluster to deliver to is known before the build: a broken kubeconfig fails now, not after minutes of building.
        var connection = deliver ? session.Connect() : null;
        // Where the image will run, when the node list cannot say whether the cluster shares this engine.
        var ns = deliver ? session.State.Space : null;
        ImageBuildResult built;
        try
        {
            built = await new ImageBuilder(docker()).BuildAsync(request, reporter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsEngineUnreachable(e))
        {
            throw EngineUnreachable(docker(), e);
        }

        if (connection is null)
        {
            return new ImageBuildInfo(built.Reference, built.ImageId, built.ContentHash, built.Skipped, null, false);
        }

        try
        {
            bool? known;
            lock (_gate)
            {
                known = _sharedEngine is { } cached && ReferenceEquals(cached.Connection, connection) ? cached.Shares : null;
            }

            var delivery = new ImageDelivery(docker(), connection.Client, new ImageDeliverySettings { Registry = registry, SharedEngine = known });
            bool shares;
            try
            {
                shares = await delivery.SharesEngineAsync(ns, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not DevSpacesException)
            {
                // Deciding how to deliver reads the node list: a cluster failure, not an engine one.
                throw KubernetesFailures.Translate(e, new ClusterOperation("list", "nodes"), connection.Target);
            }

            lock (_gate)
            {
                _sharedEngine = (connection, shares);
            }

            var delivered = await delivery.DeliverAsync(built.Reference, ns, reporter, cancellationToken).ConfigureAwait(false);
            return new ImageBuildInfo(built.Reference, built.ImageId, built.ContentHash, built.Skipped, delivered.Reference, delivered.Pushed);
        }
        catch (Exception e) when (IsEngineUnreachable(e))
        {
            throw EngineUnreachable(docker(), e);
        }
    }

    /// <summary>Parses <c>NAME=value</c> build args.</summary>
    public static IReadOnlyDictionary<string, string> ParseBuildArgs(IEnumerable<string> args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            if (eq <= 0)
            {
                throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, $"Build arg '{arg}' is not NAME=value.", "Write each build arg as NAME=value.");
            }

            parsed[arg[..eq]] = arg[(eq + 1)..];
        }

        return parsed;
    }

    private static bool IsEngineUnreachable(Exception e) =>
        e is HttpRequestException or SocketException or TimeoutException || e.InnerException is SocketException;

    private static DevSpacesException EngineUnreachable(DockerClient docker, Exception e) => new(
        RpcErrorCode.DockerUnavailable,
        $"The Docker engine at {docker.Configuration.EndpointBaseUri} cannot be reached.",
        "Start Docker (or point DOCKER_HOST at a running engine) and check that you may use its socket.",
        e.Message,
        e);
}
