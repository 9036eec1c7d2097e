using DevSpaces.Core.Images;

namespace DevSpaces.Core.Sync;

/// <summary>
/// Which files of the local folder are synced: those the <c>files</c> globs select (in order, a leading <c>!</c>
/// takes back, the last matching glob decides; all files when none are given), minus what the ignore files and the
/// folders DevSpaces never syncs (<c>.git</c>, <c>.devspaces</c>, the helper's staging folder) exclude. Files larger than
/// <see cref="MaxFileSize"/> are reported and skipped.
/// </summary>
public sealed class SyncRules
{
    public const long DefaultMaxFileSize = 64L * 1024 * 1024;

    private static readonly string[] NeverSynced = [".git", ".devspaces", Helper.Protocol.HelperProtocol.StagingFolder];

    // The glob language and its evaluation are .dockerignore's; here a "match" selects rather than excludes.
    private readonly DockerIgnore files;
    private readonly DockerIgnore ignored;

    public SyncRules(IEnumerable<string>? files, IEnumerable<string> ignorePatterns, long maxFileSize = DefaultMaxFileSize)
    {
        var globs = files?.ToList() ?? [];
        this.files = new DockerIgnore(globs.Count == 0 ? ["**"] : globs);
        ignored = new DockerIgnore(NeverSynced.Concat(ignorePatterns));
        MaxFileSize = maxFileSize;
    }

    public long MaxFileSize { get; }

    /// <summary>Rules for <paramref name="root"/>: the given globs, plus the patterns of its ignore files (default <c>.gitignore</c> and <c>.dockerignore</c>; missing ones are skipped).</summary>
    public static SyncRules ForFolder(string root, IEnumerable<string>? files = null, IEnumerable<string>? ignoreFiles = null, long maxFileSize = DefaultMaxFileSize)
    {
        var patterns = new List<string>();
        foreach (var name in ignoreFiles ?? [".gitignore", ".dockerignore"])
        {
            var path = Path.Combine(root, name);
            if (File.Exists(path))
            {
                patterns.AddRange(IgnoreFile.Read(path));
            }
        }

        return new SyncRules(files, patterns, maxFileSize);
    }

    /// <summary>Whether the file at this folder-relative path (forward slashes) is synced.</summary>
    public bool Selects(string path) => files.IsExcluded(path) && !ignored.IsExcluded(path);

    /// <summary>False when nothing under this folder can be synced, so a scan need not enter it.</summary>
    public bool MayHoldSelected(string directory) => ignored.HasExceptions || !ignored.IsExcluded(directory);
}
