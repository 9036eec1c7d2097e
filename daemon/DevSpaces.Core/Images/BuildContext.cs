using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Core.Images;

/// <summary>
/// The files of a build context folder after <c>.dockerignore</c>, in a stable order, so that the same content
/// always gives the same hash and the same tar stream. The context's own <c>.devspaces</c> folder (DevSpaces' state
/// and local build output) is never part of it.
/// </summary>
public sealed class BuildContext
{
    private const string StateFolder = ".devspaces";

    // Fixed timestamps keep the tar stream a pure function of the content.
    private static readonly DateTimeOffset FixedTime = DateTimeOffset.UnixEpoch;

    private BuildContext(string directory, string dockerfileName, string dockerfilePath, IReadOnlyList<string> entries)
    {
        Directory = directory;
        DockerfileName = dockerfileName;
        DockerfilePath = dockerfilePath;
        Entries = entries;
    }

    public string Directory { get; }

    /// <summary>The Dockerfile's name inside the context stream.</summary>
    public string DockerfileName { get; }

    public string DockerfilePath { get; }

    /// <summary>Context-relative paths (forward slashes) of the folders, files and links sent to the engine.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>Scans <paramref name="directory"/>; <paramref name="dockerfile"/> is relative to it or absolute.</summary>
    public static BuildContext Scan(string directory, string dockerfile = "Dockerfile")
    {
        directory = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, $"The build context folder {directory} does not exist.", "Give the folder that holds the sources the Dockerfile copies.");
        }

        var dockerfilePath = Path.GetFullPath(dockerfile, directory);
        if (!File.Exists(dockerfilePath))
        {
            throw new DevSpacesException(RpcErrorCode.ImageBuildFailed, $"There is no Dockerfile at {dockerfilePath}.", "Create it or name the right file.");
        }

        var ignore = DockerIgnore.Load(directory);
        var entries = new List<string>();
        Walk(directory, "", ignore, entries);
        var relativeDockerfile = Path.GetRelativePath(directory, dockerfilePath).Replace('\\', '/');
        var inside = !relativeDockerfile.StartsWith("../", StringComparison.Ordinal) && !Path.IsPathRooted(relativeDockerfile);

        // The engine needs the Dockerfile (and the CLI always sends .dockerignore) even when they are ignored.
        foreach (var always in inside ? new[] { relativeDockerfile, ".dockerignore" } : [".dockerignore"])
        {
            if (File.Exists(Path.Combine(directory, always)) && !entries.Contains(always))
            {
                entries.Add(always);
            }
        }

        entries.Sort(StringComparer.Ordinal);
        var name = inside ? relativeDockerfile : ".devspaces.Dockerfile";
        return new BuildContext(directory, name, dockerfilePath, entries);
    }

    /// <summary>
    /// SHA-256 over every entry's path, mode and content, the Dockerfile and the extra inputs (build args, base
    /// image ids), as lowercase hex.
    /// </summary>
    public string ComputeHash(IEnumerable<string> extraInputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));

        Add("devspaces-context-v1");
        foreach (var entry in Entries)
        {
            var full = Path.Combine(Directory, entry);
            var info = new FileInfo(full);
            Add(entry);
            if (info.LinkTarget is { } link)
            {
                Add("link:" + link);
            }
            else if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                Add("dir:" + ModeOf(full));
            }
            else
            {
                Add("file:" + ModeOf(full));
                using var stream = File.OpenRead(full);
                Add(Convert.ToHexString(SHA256.HashData(stream)));
            }
        }

        Add("dockerfile:" + DockerfileName);
        Add(File.ReadAllText(DockerfilePath));
        foreach (var input in extraInputs)
        {
            Add(input);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Writes the context as the tar stream the engine's build API takes.</summary>
    public async Task WriteTarAsync(Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var entry in Entries)
        {
            var full = Path.Combine(Directory, entry);
            var info = new FileInfo(full);
            if (info.LinkTarget is { } link)
            {
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.SymbolicLink, entry) { LinkName = link, ModificationTime = FixedTime }, cancellationToken).ConfigureAwait(false);
            }
            else if (info.Attributes.HasFlag(FileAttributes.Directory))
            {
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, entry + "/") { Mode = ModeOf(full), ModificationTime = FixedTime }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var data = File.OpenRead(full);
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, entry) { Mode = ModeOf(full), ModificationTime = FixedTime, DataStream = data }, cancellationToken).ConfigureAwait(false);
            }
        }

        if (DockerfileName == ".devspaces.Dockerfile")
        {
            await using var data = File.OpenRead(DockerfilePath);
            await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, DockerfileName) { Mode = (UnixFileMode)0b110_100_100, ModificationTime = FixedTime, DataStream = data }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Walk(string root, string relative, DockerIgnore ignore, List<string> entries)
    {
        var directory = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (relative.Length == 0 && name == StateFolder)
            {
                continue;
            }

            var entry = relative.Length == 0 ? name : $"{relative}/{name}";
            var excluded = ignore.IsExcluded(entry);
            var info = new FileInfo(path);
            var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
            if (!excluded)
            {
                entries.Add(entry);
            }

            // An excluded folder can still hold re-included files, but only when some pattern re-includes.
            if (isDirectory && (!excluded || ignore.HasExceptions))
            {
                Walk(root, entry, ignore, entries);
            }
        }
    }

    private static UnixFileMode ModeOf(string path) =>
        OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(path);
}
