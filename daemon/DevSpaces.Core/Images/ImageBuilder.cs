using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace DevSpaces.Core.Images;

/// <summary>
/// Builds images on the local engine, tagged by content (<c>repository:ds-&lt;hash12&gt;</c>) so that an unchanged
/// context is never rebuilt.
/// </summary>
public sealed class ImageBuilder(IDockerClient docker)
{
    public const string TagPrefix = "ds-";
    public const string ContentHashLabel = "devspaces.io/content-hash";

    /// <summary>The content tag for a request, without building.</summary>
    public async Task<(BuildContext Context, string Reference, string Hash)> PlanAsync(ImageBuildRequest request, CancellationToken cancellationToken)
    {
        var context = BuildContext.Scan(request.ContextDirectory, request.Dockerfile);
        var inputs = new List<string>();
        foreach (var (name, value) in request.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            inputs.Add($"arg:{name}={value}");
        }

        inputs.Add($"target:{request.Target}");
        foreach (var image in DockerfileBaseImages.Find(await File.ReadAllTextAsync(context.DockerfilePath, cancellationToken).ConfigureAwait(false), request.BuildArgs))
        {
            // The id pins the base: rebuilding the base image changes our tag. Unknown bases are pulled by the build.
            inputs.Add($"base:{image}={await TryGetImageIdAsync(image, cancellationToken).ConfigureAwait(false)}");
        }

        var hash = context.ComputeHash(inputs);
        return (context, $"{request.Repository}:{TagPrefix}{hash[..12]}", hash);
    }

    public async Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        var (context, reference, hash) = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
        if (!request.Force && await TryGetImageIdAsync(reference, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            progress?.Report(new ImageProgress(ImageProgressKind.UpToDate, $"{reference} is up to date; nothing to build."));
            return new ImageBuildResult(reference, existing, hash, Skipped: true);
        }

        var tarPath = Path.Combine(Path.GetTempPath(), $"devspaces-context-{Guid.NewGuid():N}.tar");
        await using var tar = new FileStream(tarPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await context.WriteTarAsync(tar, cancellationToken).ConfigureAwait(false);
        tar.Position = 0;

        var errors = new List<string>();
        var tail = new Queue<string>();
        var output = new CallbackProgress<JSONMessage>(message =>
        {
            var error = message.Error?.Message ?? message.ErrorMessage;
            if (!string.IsNullOrEmpty(error))
            {
                errors.Add(error.Trim());
                return;
            }

            var text = (message.Stream ?? message.Status)?.TrimEnd('\n');
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            tail.Enqueue(text);
            if (tail.Count > 20)
            {
                tail.Dequeue();
            }

            progress?.Report(new ImageProgress(ImageProgressKind.BuildOutput, text, message.ID));
        });

        var parameters = new ImageBuildParameters
        {
            Dockerfile = context.DockerfileName,
            Tags = [reference],
            BuildArgs = request.BuildArgs.ToDictionary(a => a.Key, a => a.Value),
            Labels = new Dictionary<string, string> { [ContentHashLabel] = hash },
            Target = request.Target,
            Remove = true,
            ForceRemove = true,
        };
        try
        {
            await docker.Images.BuildImageFromDockerfileAsync(parameters, tar, null, null, output, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, $"The Docker engine refused to build {reference}: {e.ResponseBody?.Trim()}", "Check the Dockerfile and build args.", null, e);
        }

        if (errors.Count > 0)
        {
            throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, 
                $"Building {reference} from {context.DockerfilePath} failed: {string.Join("; ", errors)}",
                $"Last output:\n{string.Join("\n", tail)}");
        }

        var id = await TryGetImageIdAsync(reference, cancellationToken).ConfigureAwait(false)
                 ?? throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, $"The engine reported success but has no image {reference}.");
        progress?.Report(new ImageProgress(ImageProgressKind.Step, $"Built {reference} ({id[..Math.Min(19, id.Length)]})."));
        return new ImageBuildResult(reference, id, hash, Skipped: false);
    }

    public async Task<string?> TryGetImageIdAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            return (await docker.Images.InspectImageAsync(reference, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerImageNotFoundException)
        {
            return null;
        }
    }
}
