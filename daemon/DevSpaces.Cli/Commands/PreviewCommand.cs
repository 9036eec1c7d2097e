using System.Globalization;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Previews;
using DevSpaces.Core.Up;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary>
/// <c>devspaces preview up | down | list | prune</c>: pull-request previews as child spaces, for CI. All the logic is
/// here and in <see cref="PreviewService"/>, so a workflow only passes the pull request's facts.
/// </summary>
/// <param name="previewsFor">The preview pipeline for a cluster (built by the composition root).</param>
public sealed class PreviewCommand(CliOutput output, WorkspaceSession workspace, Func<ClusterConnection, PreviewService> previewsFor, string currentDirectory)
{
    public async Task<int> UpAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var name = Required(cli, "--name", "preview up --name pr-12 --parent <root space>");
        var parent = Required(cli, "--parent", "preview up --name pr-12 --parent <root space>");
        var folders = cli.GetAll("--service").Select(f => Path.GetFullPath(f, currentDirectory)).ToList();
        var images = ParseImages(cli.GetAll("--image"));
        var buildArgs = ImageHandler.ParseBuildArgs(cli.GetAll("--build-arg"));
        var commit = cli.Get("--commit");
        var pr = cli.GetInt("--pr");
        cli.RejectUnknownOptions();

        // Every folder is read and every --image matched before anything changes in the cluster.
        var services = folders.Select(f => UpService.ReadProject(f).Service).ToList();
        foreach (var service in images.Keys.Where(s => !services.Contains(s)))
        {
            throw new UsageException($"--image names '{service}', but no --service folder holds it (the folders hold: {(services.Count == 0 ? "none" : string.Join(", ", services))}); pass its folder with --service too, as its manifests are deployed");
        }

        var request = new PreviewRequest(name, parent, folders, images, buildArgs, commit, pr);
        var info = await previewsFor(workspace.Connect()).UpAsync(request, e => UpCommand.PrintEvent(output, PreviewName.From(name), e), cancellationToken).ConfigureAwait(false);
        return output.Print(info, (o, p) =>
        {
            var deployed = p.Services.Count == 0 ? "" : $" ({string.Join(", ", p.Services.Select(s => s.Service))})";
            o.WriteLine(p.Url != null
                ? $"Preview '{p.Name}' of '{p.Parent}' is ready{deployed}: {p.Url}"
                : $"Preview '{p.Name}' of '{p.Parent}' is ready{deployed}. {p.Reach}");
        });
    }

    public async Task<int> DownAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var name = Required(cli, "--name", "preview down --name pr-12");
        cli.RejectUnknownOptions();
        var result = await previewsFor(workspace.Connect()).DownAsync(name, cancellationToken).ConfigureAwait(false);
        return output.Print(result, (o, r) => o.WriteLine(r.Message));
    }

    /// <summary><c>preview list [--parent P] [--older-than 7d [--delete]]</c>; <c>preview prune --older-than 7d</c> is list with --delete.</summary>
    public async Task<int> ListAsync(CliArguments cli, bool prune, CancellationToken cancellationToken)
    {
        var parent = cli.Get("--parent");
        var olderThanText = prune ? Required(cli, "--older-than", "preview prune --older-than 7d") : cli.Get("--older-than");
        var delete = prune || cli.Has("--delete");
        cli.RejectUnknownOptions();
        TimeSpan? olderThan = null;
        if (olderThanText != null)
        {
            olderThan = PreviewAge.Parse(olderThanText) ?? throw new UsageException($"--older-than needs an age such as 7d, 12h, 30m or 45s, not '{olderThanText}'");
        }

        if (delete && olderThan == null)
        {
            throw new UsageException("--delete removes the previews older than an age: add --older-than, e.g. --older-than 7d");
        }

        var list = await previewsFor(workspace.Connect()).ListAsync(parent, olderThan, delete, cancellationToken).ConfigureAwait(false);
        return output.Print(list, HumanOutput.Previews);
    }

    /// <summary><c>--image service=reference</c>, each service once.</summary>
    public static IReadOnlyDictionary<string, string> ParseImages(IEnumerable<string> values)
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == value.Length - 1)
            {
                throw new UsageException($"--image needs <service>=<image>, e.g. --image api=registry.example.com/api:1.2, not '{value}'");
            }

            if (!images.TryAdd(value[..eq], value[(eq + 1)..]))
            {
                throw new UsageException($"--image names '{value[..eq]}' twice");
            }
        }

        return images;
    }

    private static string Required(CliArguments cli, string option, string example) =>
        cli.Get(option) is { Length: > 0 } value ? value : throw new UsageException($"{option} is required, e.g. devspaces {example}");
}
