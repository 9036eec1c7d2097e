using DevSpaces.Core.Images;
using DevSpaces.Core.Project;

namespace DevSpaces.Core.Sync;

/// <summary>
/// Which files of the local folder are synced: those the <c>files</c> globs of <c>devspaces.yaml</c>'s <c>sync</c>
/// select (<see cref="GlobList"/>; all files when none are given), minus what the ignore files and the
/// folders and files DevSpaces never syncs (<c>.git</c>, <c>.devspaces</c>, the helper's partial files) exclude. Files larger than
/// <see cref="MaxFileSize"/> are reported and skipped.
/// </summary>
public sealed class SyncRules
{
    public const long DefaultMaxFileSize = 64L * 1024 * 1024;

    private static readonly string[] NeverSynced = [".git", ".devspaces", "**/" + Helper.Protocol.HelperProtocol.PartialPrefix + "*"];

    private readonly GlobList files;
    private readonly DockerIgnore ignored;

    public SyncRules(GlobList? files, IEnumerable<string> ignorePatterns, long maxFileSize = DefaultMaxFileSize)
    {
        this.files = files is { Globs.Count: > 0 } ? files : GlobList.Everything;
        ignored = new DockerIgnore(NeverSynced.Concat(ignorePatterns));
        MaxFileSize = maxFileSize;
    }

    public long MaxFileSize { get; }

    /// <summary>Rules for <paramref name="root"/>: the given globs, plus the patterns of its ignore files (default <c>.gitignore</c> and <c>.dockerignore</c>; missing ones are skipped) and <paramref name="alsoIgnored"/>.</summary>
    public static SyncRules ForFolder(string root, GlobList? files = null, IEnumerable<string>? ignoreFiles = null, long maxFileSize = DefaultMaxFileSize, IEnumerable<string>? alsoIgnored = null)
    {
        var patterns = new List<string>(alsoIgnored ?? []);
        foreach (var name in ignoreFiles ?? ProjectSync.DefaultIgnoreFiles)
        {
            var path = Path.Combine(root, name);
            if (File.Exists(path))
            {
                patterns.AddRange(IgnoreFile.Read(path));
            }
        }

        return new SyncRules(files, patterns, maxFileSize);
    }

    /// <summary>The rules of a project's <c>sync</c> section, for its folder.</summary>
    public static SyncRules ForProject(string projectFolder, ProjectSync sync, long maxFileSize = DefaultMaxFileSize) =>
        ForFolder(projectFolder, sync.Files, sync.IgnoreFiles, maxFileSize);

    /// <summary>Whether the file at this folder-relative path (forward slashes) is synced.</summary>
    public bool Selects(string path) => files.Matches(path) && !ignored.IsExcluded(path);

    /// <summary>False when nothing under this folder can be synced, so a scan need not enter it.</summary>
    public bool MayHoldSelected(string directory) => ignored.HasExceptions || !ignored.IsExcluded(directory);
}
