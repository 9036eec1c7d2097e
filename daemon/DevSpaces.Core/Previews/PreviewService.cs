using System.Globalization;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Spaces;
using DevSpaces.Core.Up;
using k8s.Models;

namespace DevSpaces.Core.Previews;

/// <summary>
/// Pull-request previews: a child space of a baseline labelled as a preview, holding only the services a change
/// touches (the rest is the parent's); created or updated in place, listed with their age, and removed, never
/// touching a space that is not a preview.
/// </summary>
public sealed class PreviewService(IPreviewNamespaces namespaces, IPreviewDeployer deployer, ISpaceRouting routing, TimeProvider time)
{
    public async Task<PreviewInfo> UpAsync(PreviewRequest request, Action<UpEvent> events, CancellationToken cancellationToken)
    {
        var name = PreviewName.From(request.Name);
        SpaceName.Validate(request.Parent, "Parent space name");
        var parent = await namespaces.ReadAsync(request.Parent, cancellationToken).ConfigureAwait(false)
            ?? throw new DevSpacesException(RpcErrorCode.SpaceNotFound, $"The parent space '{request.Parent}' does not exist.", "Pass the root space the app runs in as --parent (devspaces space list shows them).");
        if (!SpaceRecord.IsSpace(parent))
        {
            throw new DevSpacesException(RpcErrorCode.NotASpace, $"Namespace '{request.Parent}' is not a space, so it cannot hold previews.", $"Make it a root space with 'devspaces space create {request.Parent}'.");
        }

        var now = time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var labels = new Dictionary<string, string>
        {
            [SpaceLabels.Space] = "true",
            [SpaceLabels.Parent] = request.Parent,
            [PreviewLabels.Preview] = "true",
        };
        if (request.PullRequest is { } pr)
        {
            labels[PreviewLabels.PullRequest] = pr.ToString(CultureInfo.InvariantCulture);
        }

        var annotations = new Dictionary<string, string> { [PreviewLabels.Updated] = now };
        if (request.Commit is { Length: > 0 } commit)
        {
            annotations[PreviewLabels.Commit] = commit;
        }

        var existing = await ReadAsync(name, request.Parent, cancellationToken).ConfigureAwait(false);
        if (existing == null)
        {
            annotations[PreviewLabels.Created] = now;
            try
            {
                await namespaces.CreateAsync(name, labels, annotations, cancellationToken).ConfigureAwait(false);
            }
            catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden)
            {
                throw CannotCreate(name, request.Parent, e);
            }

            events(new UpEvent(UpEventKind.Step, $"Created the preview space '{name}' as a child of '{request.Parent}'"));
            await routing.AddedAsync(request.Parent, name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            CheckIsPreviewOf(existing, request.Parent);
            if (existing.Metadata.Annotations?.ContainsKey(PreviewLabels.Created) != true)
            {
                annotations[PreviewLabels.Created] = now;
            }

            await namespaces.AnnotateAsync(name, labels, annotations, cancellationToken).ConfigureAwait(false);
            events(new UpEvent(UpEventKind.Step, $"Updating the preview space '{name}'"));

            // Also a space an administrator created for the preview, or one routing was enabled after: idempotent.
            await routing.AddedAsync(request.Parent, name, cancellationToken).ConfigureAwait(false);
        }

        var ancestors = await AncestorsAsync(parent, cancellationToken).ConfigureAwait(false);
        var deployed = new List<PreviewServiceInfo>();
        foreach (var folder in request.Folders)
        {
            var service = UpService.ReadProject(folder).Service;
            deployed.Add(await deployer.DeployAsync(folder, name, ancestors, request.BuildArgs, request.Images.GetValueOrDefault(service), events, cancellationToken).ConfigureAwait(false));
        }

        var record = PreviewRecord.From(await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false) ?? throw Gone(name))!;
        return await DescribeAsync(record, deployed, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PreviewDownResult> DownAsync(string name, CancellationToken cancellationToken)
    {
        var space = PreviewName.From(name);
        var ns = await ReadAsync(space, null, cancellationToken).ConfigureAwait(false);
        if (ns == null)
        {
            return new PreviewDownResult(space, false, $"There is no preview '{space}': nothing to remove.");
        }

        if (PreviewRecord.From(ns) is { Phase: "Terminating" })
        {
            // Removed twice (a cancelled run, then the closed pull request): the first removal goes on.
            return new PreviewDownResult(space, false, $"The preview '{space}' is already being deleted: nothing more to remove.");
        }

        CheckIsPreviewOf(ns, null);
        await namespaces.DeleteAsync(space, cancellationToken).ConfigureAwait(false);
        await ForgetAsync(PreviewRecord.From(ns)!, cancellationToken).ConfigureAwait(false);
        return new PreviewDownResult(space, true, $"Deleted the preview '{space}' and everything in it.");
    }

    /// <summary>The previews (of <paramref name="parent"/> when given), oldest first; with <paramref name="olderThan"/> only those not deployed for that long, deleted when <paramref name="delete"/>.</summary>
    public async Task<PreviewList> ListAsync(string? parent, TimeSpan? olderThan, bool delete, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var previews = (await namespaces.ListPreviewsAsync(cancellationToken).ConfigureAwait(false))
            .Select(PreviewRecord.From)
            .OfType<PreviewRecord>()
            .Where(p => parent == null || p.Parent == parent)
            .Where(p => olderThan == null || now - p.Updated >= olderThan)
            .OrderBy(p => p.Updated)
            .ToList();
        var deleted = new List<string>();
        if (delete)
        {
            foreach (var preview in previews.Where(p => p.Phase != "Terminating"))
            {
                await namespaces.DeleteAsync(preview.Name, cancellationToken).ConfigureAwait(false);
                await ForgetAsync(preview, cancellationToken).ConfigureAwait(false);
                deleted.Add(preview.Name);
            }
        }

        var infos = new List<PreviewInfo>();
        foreach (var preview in previews)
        {
            infos.Add(await DescribeAsync(preview, [], cancellationToken).ConfigureAwait(false));
        }

        return new PreviewList(infos, deleted);
    }

    private async Task<V1Namespace?> ReadAsync(string name, string? parent, CancellationToken cancellationToken)
    {
        try
        {
            return await namespaces.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (DevSpacesException e) when (e.ErrorCode == RpcErrorCode.Forbidden && parent != null)
        {
            // A namespace the user has no rights in is refused, not answered with 404: it may or may not exist.
            throw CannotCreate(name, parent, e);
        }
    }

    /// <summary><paramref name="parent"/> and its ancestors, parent first, root last.</summary>
    private async Task<IReadOnlyList<string>> AncestorsAsync(V1Namespace parent, CancellationToken cancellationToken)
    {
        var chain = new List<string> { parent.Metadata.Name };
        var next = SpaceRecord.From(parent)?.Parent;
        while (next != null && !chain.Contains(next) && chain.Count < 32)
        {
            chain.Add(next);
            var ns = await namespaces.ReadAsync(next, cancellationToken).ConfigureAwait(false);
            next = ns == null ? null : SpaceRecord.From(ns)?.Parent;
        }

        return chain;
    }

    private async Task ForgetAsync(PreviewRecord preview, CancellationToken cancellationToken)
    {
        if (preview.Parent != null)
        {
            await routing.RemovedAsync(preview.Parent, preview.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<PreviewInfo> DescribeAsync(PreviewRecord preview, IReadOnlyList<PreviewServiceInfo> services, CancellationToken cancellationToken)
    {
        var url = preview.Parent == null ? null : await routing.UrlAsync(preview.Parent, preview.Name, cancellationToken).ConfigureAwait(false);
        var reach = url != null ? null
            : $"Routing is not enabled on the root space of '{preview.Name}' ('devspaces routing enable --space <root>' gives it a URL); meanwhile reach a service of it with 'devspaces port-forward service/<service> <local port>:<port> --space {preview.Name}'.";
        return new PreviewInfo(preview.Name, preview.Parent, preview.PullRequest, preview.Commit, preview.Created, preview.Updated, PreviewAge.Format(time.GetUtcNow() - preview.Updated), url, reach, services);
    }

    /// <summary>Only a preview (of <paramref name="parent"/>, when given) is ever updated or deleted.</summary>
    private static void CheckIsPreviewOf(V1Namespace ns, string? parent)
    {
        var name = ns.Metadata.Name;
        if (ns.Status?.Phase == "Terminating")
        {
            throw new DevSpacesException(RpcErrorCode.Conflict, $"The preview '{name}' is still being deleted.", $"Wait until it is gone (kubectl get namespace {name}), then run the command again.");
        }

        var preview = PreviewRecord.From(ns);
        if (preview == null)
        {
            throw new DevSpacesException(
                RpcErrorCode.NotAPreview,
                $"Namespace '{name}' exists and is not a preview ({(SpaceRecord.IsSpace(ns) ? "a space without the label " + PreviewLabels.PreviewSelector : "not a space")}); previews never change it.",
                "Choose another --name for the preview.");
        }

        if (parent != null && preview.Parent != parent)
        {
            throw new DevSpacesException(
                RpcErrorCode.NotAPreview,
                $"'{name}' is a preview of '{preview.Parent}', not of '{parent}'.",
                $"Pass --parent {preview.Parent}, or choose another --name.");
        }
    }

    private static DevSpacesException CannotCreate(string name, string parent, DevSpacesException refused) => new(
        RpcErrorCode.Forbidden,
        $"Not allowed to create the preview space '{name}': a preview is a new namespace, and this account may not create namespaces ({refused.Message.TrimEnd('.')}).",
        $"Grant the account 'create' on 'namespaces' (a ClusterRole), or have an administrator create it first: 'kubectl create namespace {name} && kubectl label namespace {name} {SpaceLabels.Space}=true {SpaceLabels.Parent}={parent} {PreviewLabels.PreviewSelector}', with a RoleBinding of the preview Role to the account in it.",
        refused.Detail,
        refused);

    private static DevSpacesException Gone(string name) =>
        new(RpcErrorCode.SpaceNotFound, $"The preview space '{name}' disappeared while it was deployed.", "Someone deleted it meanwhile; run preview up again.");
}
