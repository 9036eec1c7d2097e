using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Workspace;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Spaces;

/// <summary>Lists, creates, selects and deletes spaces of the workspace's cluster.</summary>
public sealed class SpaceService(WorkspaceSession session) : ISpaceRpc
{
    public async Task<SpaceTree> ListSpacesAsync(CancellationToken cancellationToken = default)
    {
        var connection = session.Connect();
        var spaces = await ReadSpacesAsync(connection, cancellationToken).ConfigureAwait(false);
        var selected = session.State.Space;
        return new SpaceTree(connection.Context, selected, SpaceTreeBuilder.Build(spaces, selected));
    }

    public async Task<CreateSpaceResult> CreateSpaceAsync(string name, string? parent = null, CancellationToken cancellationToken = default)
    {
        SpaceName.Validate(name);
        if (parent != null)
        {
            SpaceName.Validate(parent, "Parent space name");
        }

        var connection = session.Connect();
        var existing = await TryReadNamespaceAsync(connection, name, cancellationToken).ConfigureAwait(false);
        if (parent != null)
        {
            var parentNamespace = await TryReadNamespaceAsync(connection, parent, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound(parent, connection, "Parent space");
            if (!SpaceRecord.IsSpace(parentNamespace))
            {
                throw NotASpace(parent, "It cannot be a parent");
            }

            if (existing != null)
            {
                throw AlreadyExists(existing);
            }

            await CreateNamespaceAsync(connection, name, parent, cancellationToken).ConfigureAwait(false);
            session.Log.Info($"space '{name}' created as a child of '{parent}'");
            return new CreateSpaceResult(name, parent, NamespaceCreated: true);
        }

        if (existing == null)
        {
            await CreateNamespaceAsync(connection, name, null, cancellationToken).ConfigureAwait(false);
            session.Log.Info($"root space '{name}' created");
            return new CreateSpaceResult(name, null, NamespaceCreated: true);
        }

        if (SpaceRecord.IsSpace(existing))
        {
            throw AlreadyExists(existing);
        }

        if (existing.Status?.Phase == "Terminating")
        {
            throw Terminating(name);
        }

        // An existing namespace becomes a root space by getting the label; nothing in it changes.
        var patch = new V1Patch(
            $"{{\"metadata\":{{\"labels\":{{\"{SpaceLabels.Space}\":\"true\",\"{SpaceLabels.Parent}\":null}}}}}}",
            V1Patch.PatchType.MergePatch);
        await connection.CallAsync(
            new ClusterOperation("patch", "namespaces", name),
            (client, ct) => client.CoreV1.PatchNamespaceAsync(patch, name, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        session.Log.Info($"existing namespace '{name}' labelled as a root space");
        return new CreateSpaceResult(name, null, NamespaceCreated: false);
    }

    public async Task<Selection> SelectSpaceAsync(string? name, CancellationToken cancellationToken = default)
    {
        if (name == null)
        {
            return await session.SelectSpaceAsync(null, null).ConfigureAwait(false);
        }

        SpaceName.Validate(name);
        var connection = session.Connect();
        var ns = await TryReadNamespaceAsync(connection, name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(name, connection, "Space");
        if (!SpaceRecord.IsSpace(ns))
        {
            throw NotASpace(name, "Only spaces can be selected");
        }

        if (ns.Status?.Phase == "Terminating")
        {
            throw Terminating(name);
        }

        return await session.SelectSpaceAsync(name, null).ConfigureAwait(false);
    }

    public Task<Selection> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(session.CurrentSelection());

    public async Task<DeleteSpaceResult> DeleteSpaceAsync(string name, bool recursive = false, CancellationToken cancellationToken = default)
    {
        SpaceName.Validate(name);
        var connection = session.Connect();
        var ns = await TryReadNamespaceAsync(connection, name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(name, connection, "Space");
        if (!SpaceRecord.IsSpace(ns))
        {
            throw NotASpace(name, "DevSpaces deletes only namespaces it manages as spaces");
        }

        var spaces = await ReadSpacesAsync(connection, cancellationToken).ConfigureAwait(false);
        var descendants = SpaceTreeBuilder.DescendantsLeavesFirst(spaces, name);
        if (descendants.Count > 0 && !recursive)
        {
            throw new DevSpacesException(
                RpcErrorCode.SpaceHasChildren,
                $"Space '{name}' has child spaces: {string.Join(", ", descendants)}.",
                "Delete the children first, or delete the whole subtree (devspaces space delete --recursive).");
        }

        var deleted = new List<string>();
        foreach (var space in descendants.Append(name))
        {
            // Already gone (deleted meanwhile) counts as deleted.
            await connection.TryCallAsync(
                new ClusterOperation("delete", "namespaces", space),
                (client, ct) => client.CoreV1.DeleteNamespaceAsync(space, new V1DeleteOptions { PropagationPolicy = "Background" }, cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            deleted.Add(space);
            session.Log.Info($"space '{space}' deleted");
        }

        var selected = session.State.Space;
        var selectionCleared = selected != null && deleted.Contains(selected);
        var message = deleted.Count == 1 ? $"Deleted space '{name}'." : $"Deleted space '{name}' and its {deleted.Count - 1} descendant(s).";
        if (selectionCleared)
        {
            var reason = $"The selected space '{selected}' was deleted; no space is selected.";
            await session.SelectSpaceAsync(null, reason).ConfigureAwait(false);
            message += " " + reason;
        }

        return new DeleteSpaceResult(deleted, selectionCleared, message);
    }

    /// <summary>All spaces of the cluster.</summary>
    public static async Task<IReadOnlyList<SpaceRecord>> ReadSpacesAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        var list = await connection.CallAsync(
            new ClusterOperation("list", "namespaces"),
            (client, ct) => client.CoreV1.ListNamespaceAsync(labelSelector: SpaceLabels.SpaceSelector, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return list.Items.Select(SpaceRecord.From).OfType<SpaceRecord>().ToList();
    }

    /// <summary>The namespace, or null when it does not exist.</summary>
    public static Task<V1Namespace?> TryReadNamespaceAsync(ClusterConnection connection, string name, CancellationToken cancellationToken) =>
        connection.TryCallAsync(
            new ClusterOperation("get", "namespaces", name),
            (client, ct) => client.CoreV1.ReadNamespaceAsync(name, cancellationToken: ct),
            cancellationToken);

    private static async Task CreateNamespaceAsync(ClusterConnection connection, string name, string? parent, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string> { [SpaceLabels.Space] = "true" };
        if (parent != null)
        {
            labels[SpaceLabels.Parent] = parent;
        }

        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels } };
        await connection.CallAsync(
            new ClusterOperation("create", "namespaces", name, AlreadyExists: _ => new DevSpacesException(
                RpcErrorCode.SpaceAlreadyExists,
                $"Namespace '{name}' already exists.",
                "Choose another name.")),
            (client, ct) => client.CoreV1.CreateNamespaceAsync(ns, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
    }

    private static DevSpacesException AlreadyExists(V1Namespace existing)
    {
        var name = existing.Metadata.Name;
        var record = SpaceRecord.From(existing);
        if (existing.Status?.Phase == "Terminating")
        {
            return Terminating(name);
        }

        var what = record == null
            ? $"Namespace '{name}' already exists and is not a space; a child space needs a new namespace."
            : record.Parent == null
                ? $"Space '{name}' already exists (a root space)."
                : $"Space '{name}' already exists (a child of '{record.Parent}').";
        return new DevSpacesException(RpcErrorCode.SpaceAlreadyExists, what, "Choose another name, or select the existing space.");
    }

    private static DevSpacesException Terminating(string name) =>
        new(RpcErrorCode.Conflict,
            $"Namespace '{name}' is still being deleted.",
            $"Wait until it is gone (kubectl get namespace {name}), or use another space or name.");

    private static DevSpacesException NotFound(string name, ClusterConnection connection, string what) =>
        new(RpcErrorCode.SpaceNotFound,
            $"{what} '{name}' does not exist in context '{connection.Context}'.",
            "List the spaces with 'devspaces space list', or create it with 'devspaces space create'.");

    private static DevSpacesException NotASpace(string name, string consequence) =>
        new(RpcErrorCode.NotASpace,
            $"Namespace '{name}' is not a space. {consequence}.",
            $"Make it a root space with 'devspaces space create {name}' (this only adds the label {SpaceLabels.SpaceSelector}).");
}
