using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Logging;
using DevSpaces.Core.Workspace;
using DevSpaces.Core.Cluster.Api;

namespace DevSpaces.Core.Spaces;

/// <summary>Lists, creates, selects and deletes spaces of the workspace's cluster.</summary>
/// <param name="namespacesOf">The namespaces of the workspace's current cluster.</param>
/// <param name="routing">Told of child spaces created and deleted, and asked for the space URLs (none: no routing).</param>
public sealed class SpaceService(WorkspaceSession session, Func<ISpaceNamespaces> namespacesOf, ISpaceTreeRouting? routing = null) : ISpaceRpc
{
    public async Task<SpaceTree> ListSpacesAsync(CancellationToken cancellationToken = default)
    {
        var namespaces = namespacesOf();
        var selected = session.State.Space;
        try
        {
            var spaces = await namespaces.ListSpacesAsync(cancellationToken).ConfigureAwait(false);
            return new SpaceTree(namespaces.Context, selected, await WithUrlsAsync(SpaceTreeBuilder.Build(spaces, selected), cancellationToken).ConfigureAwait(false));
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
        {
            // Listing namespaces is cluster-scoped; a user whose rights end at their namespaces still sees those.
            var visible = await ReadVisibleSpacesAsync(namespaces, [session.ContextNamespace(), selected], cancellationToken).ConfigureAwait(false);
            session.Log.Debug($"space list: {e.Message}; showing the {visible.Count} space(s) this user can read");
            var note = $"Only the spaces this user can read are shown ({(visible.Count == 0 ? "none" : string.Join(", ", visible.Select(v => v.Name)))}): listing namespaces is not allowed. A cluster administrator can grant 'list' on 'namespaces' to show them all.";
            return new SpaceTree(namespaces.Context, selected, await WithUrlsAsync(SpaceTreeBuilder.Build(visible, selected), cancellationToken).ConfigureAwait(false), note);
        }
    }

    /// <summary>The roots with the URL of each space of a routed tree filled in.</summary>
    private async Task<IReadOnlyList<SpaceInfo>> WithUrlsAsync(IReadOnlyList<SpaceInfo> roots, CancellationToken cancellationToken)
    {
        if (routing is null)
        {
            return roots;
        }

        var result = new List<SpaceInfo>();
        foreach (var root in roots)
        {
            IReadOnlyDictionary<string, string>? urls = null;
            try
            {
                urls = root.Parent is null ? await routing.UrlsAsync(root.Name, cancellationToken).ConfigureAwait(false) : null;
            }
            catch (DevSpacesException e)
            {
                session.Log.Debug($"space list: the space URLs of '{root.Name}' are not readable: {e.Message}");
            }

            result.Add(urls is null ? root : WithUrls(root, urls));
        }

        return result;

        static SpaceInfo WithUrls(SpaceInfo space, IReadOnlyDictionary<string, string> urls) =>
            space with { Url = urls.GetValueOrDefault(space.Name), Children = space.Children.Select(c => WithUrls(c, urls)).ToList() };
    }

    /// <summary>
    /// The spaces among <paramref name="names"/> and their parents that this user may read one by one (get on a
    /// namespace needs no cluster-scoped right when it is granted in that namespace).
    /// </summary>
    private static async Task<IReadOnlyList<SpaceRecord>> ReadVisibleSpacesAsync(ISpaceNamespaces namespaces, IEnumerable<string?> names, CancellationToken cancellationToken)
    {
        var found = new List<SpaceRecord>();
        var pending = new Queue<string>(names.OfType<string>().Distinct(StringComparer.Ordinal));
        var tried = new HashSet<string>(pending, StringComparer.Ordinal);
        while (pending.TryDequeue(out var name) && tried.Count <= 64)
        {
            ApiNamespace? ns;
            try
            {
                ns = await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
            {
                continue;
            }

            if (ns != null && SpaceRecord.From(ns) is { } space)
            {
                found.Add(space);
                if (space.Parent != null && tried.Add(space.Parent))
                {
                    pending.Enqueue(space.Parent);
                }
            }
        }

        return found;
    }

    public async Task<CreateSpaceResult> CreateSpaceAsync(string name, string? parent = null, CancellationToken cancellationToken = default)
    {
        SpaceName.Validate(name);
        if (parent != null)
        {
            SpaceName.Validate(parent, "Parent space name");
        }

        var namespaces = namespacesOf();
        ApiNamespace? existing;
        try
        {
            existing = await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden && parent != null)
        {
            // Reading a namespace the user has no rights in is refused, not answered with 404: it may or may not exist.
            throw CannotCreateNamespace(name, parent, e);
        }

        if (parent != null)
        {
            var parentNamespace = await namespaces.ReadAsync(parent, cancellationToken).ConfigureAwait(false)
                ?? throw NotFound(parent, namespaces, "Parent space");
            if (!SpaceRecord.IsSpace(parentNamespace))
            {
                throw NotASpace(parent, "It cannot be a parent");
            }

            if (existing != null)
            {
                throw AlreadyExists(existing);
            }

            try
            {
                await namespaces.CreateSpaceAsync(name, parent, cancellationToken).ConfigureAwait(false);
            }
            catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
            {
                throw CannotCreateNamespace(name, parent, e);
            }

            session.Log.Info($"space '{name}' created as a child of '{parent}'");
            await TellRoutingAsync(r => r.ChildCreatedAsync(name, parent, cancellationToken), name).ConfigureAwait(false);
            return new CreateSpaceResult(name, parent, NamespaceCreated: true);
        }

        if (existing == null)
        {
            await namespaces.CreateSpaceAsync(name, null, cancellationToken).ConfigureAwait(false);
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
        await namespaces.MakeRootSpaceAsync(name, cancellationToken).ConfigureAwait(false);
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
        var namespaces = namespacesOf();
        var ns = await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(name, namespaces, "Space");
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
        var namespaces = namespacesOf();
        var ns = await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(name, namespaces, "Space");
        if (!SpaceRecord.IsSpace(ns))
        {
            throw NotASpace(name, "DevSpaces deletes only namespaces it manages as spaces");
        }

        var spaces = await namespaces.ListSpacesAsync(cancellationToken).ConfigureAwait(false);
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
            await namespaces.DeleteAsync(space, cancellationToken).ConfigureAwait(false);
            deleted.Add(space);
            session.Log.Info($"space '{space}' deleted");
        }

        if (RootOf(spaces, name) is { } root && root != name)
        {
            await TellRoutingAsync(r => r.ChildrenDeletedAsync(root, deleted, cancellationToken), name).ConfigureAwait(false);
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

    /// <summary>The root of <paramref name="name"/> among <paramref name="spaces"/>, or null when its parents do not lead to one.</summary>
    private static string? RootOf(IReadOnlyList<SpaceRecord> spaces, string name)
    {
        var byName = spaces.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First());
        var current = name;
        for (var depth = 0; depth <= byName.Count; depth++)
        {
            if (!byName.TryGetValue(current, out var space))
            {
                return null;
            }

            if (space.Parent is null)
            {
                return current;
            }

            current = space.Parent;
        }

        return null;
    }

    /// <summary>Routing follows the space operation; when it cannot, the operation still stands and the log says so.</summary>
    private async Task TellRoutingAsync(Func<ISpaceTreeRouting, Task> change, string space)
    {
        if (routing is null)
        {
            return;
        }

        try
        {
            await change(routing).ConfigureAwait(false);
        }
        catch (DevSpacesException e)
        {
            session.Log.Warn($"space '{space}': its root's router could not be told ({e.Message}); 'devspaces routing enable' on the root brings it up to date");
        }
    }

    /// <summary>What an administrator must do for a user who may not create namespaces to get a child space.</summary>
    private static DevSpacesException CannotCreateNamespace(string name, string parent, DevSpacesException refused) => new(
        RpcErrorCode.Forbidden,
        $"Not allowed to create space '{name}': a child space is a new namespace, and this user may not create namespaces ({refused.Message.TrimEnd('.')}).",
        $"Ask a cluster administrator to create it for you: 'kubectl create namespace {name} && kubectl label namespace {name} {SpaceLabels.Space}=true {SpaceLabels.Parent}={parent}', plus a RoleBinding of the 'admin' ClusterRole to you in it; or to grant you 'create' on 'namespaces'.",
        refused.Detail,
        refused);

    private static DevSpacesException AlreadyExists(ApiNamespace existing)
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

    private static DevSpacesException NotFound(string name, ISpaceNamespaces namespaces, string what) =>
        new(RpcErrorCode.SpaceNotFound,
            $"{what} '{name}' does not exist in context '{namespaces.Context}'.",
            "List the spaces with 'devspaces space list', or create it with 'devspaces space create'.");

    private static DevSpacesException NotASpace(string name, string consequence) =>
        new(RpcErrorCode.NotASpace,
            $"Namespace '{name}' is not a space. {consequence}.",
            $"Make it a root space with 'devspaces space create {name}' (this only adds the label {SpaceLabels.SpaceSelector}).");
}
