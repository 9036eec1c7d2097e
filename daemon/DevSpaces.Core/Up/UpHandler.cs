using System.Collections.Concurrent;
using System.Globalization;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Core.Up;

/// <summary>
/// The daemon's <c>up</c> surface: owns the services it keeps up (disposing it stops watching them; they keep
/// running in their spaces) and sends their events to the client as <c>up/event</c> notifications, in order.
/// </summary>
public sealed class UpHandler(WorkspaceSession workspace, Func<ClusterConnection, UpService> upFor, IProgress<UpEventInfo> events) : IUpRpc, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, UpSession> sessions = new(StringComparer.Ordinal);

    public async Task<UpInfo> StartUpAsync(string folder, string? space = null, int? localPort = null, bool watch = true, IReadOnlyList<string>? buildArgs = null, bool debug = false, bool stopOnEntry = false, int? debugPort = null, CancellationToken cancellationToken = default)
    {
        var ns = SpaceOf(space);
        var full = Path.GetFullPath(folder);
        var service = UpService.ReadProject(full).Service;
        var id = UpSession.IdOf(ns, service);
        if (sessions.ContainsKey(id))
        {
            throw new DevSpacesException(RpcErrorCode.AlreadyConnected, $"'{service}' is already up in '{ns}' from this window.", "Stop it first (up/stop), or use the running one.");
        }

        var session = await upFor(workspace.Connect()).StartAsync(
            new UpRequest(full, ns, localPort, watch, Images.ImageHandler.ParseBuildArgs(buildArgs ?? []), debug ? new Debug.UpDebug(stopOnEntry, debugPort) : null),
            e => events.Report(new UpEventInfo(id, service, e.Kind, e.Message, e.Duration is { } d ? (long)d.TotalMilliseconds : null, e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture))),
            cancellationToken).ConfigureAwait(false);
        if (!watch)
        {
            var info = Describe(session);
            await session.DisposeAsync().ConfigureAwait(false);
            return info;
        }

        sessions[id] = session;
        return Describe(session);
    }

    public async Task StopUpAsync(string id, CancellationToken cancellationToken = default)
    {
        if (sessions.TryRemove(id, out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task<UpList> ListUpAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new UpList([.. sessions.Values.Select(Describe)]));

    public async Task<DownInfo> DownAsync(string folder, string? space = null, CancellationToken cancellationToken = default)
    {
        var ns = SpaceOf(space);
        var full = Path.GetFullPath(folder);
        var service = UpService.ReadProject(full).Service;
        if (sessions.TryRemove(UpSession.IdOf(ns, service), out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        var actions = await upFor(workspace.Connect()).DownAsync(full, ns, cancellationToken).ConfigureAwait(false);
        return new DownInfo(service, ns, actions);
    }

    private string SpaceOf(string? space) => space ?? workspace.State.Space ?? throw new DevSpacesException(
        RpcErrorCode.NoSpaceSelected, "No space is selected, and the request names none.", "Select a space first, or pass space.");

    private static UpInfo Describe(UpSession s) => new(s.Id, s.Project.Service, s.Namespace, s.Project.Folder, s.Url, s.Image, s.Pod, s.Watching, s.Debug);

    /// <summary>Stops watching every service; they keep running.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var id in sessions.Keys.ToList())
        {
            if (sessions.TryRemove(id, out var session))
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
