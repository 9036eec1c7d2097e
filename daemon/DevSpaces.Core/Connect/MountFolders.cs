namespace DevSpaces.Core.Connect;

/// <summary>
/// Where sessions put the copies of their mounted files: one folder per session (mode 0700) under a base folder of
/// this user (0700), with a file <c>&lt;session&gt;.owner</c> beside it naming the owning process, written before
/// the folder, so a folder whose owner is gone is a crashed session's and can be deleted.
/// </summary>
public sealed class MountFolders(string baseDirectory)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The base folder.</summary>
    public string BaseDirectory { get; } = Path.GetFullPath(baseDirectory);

    /// <summary><c>$XDG_RUNTIME_DIR/devspaces-mounts</c> (a per-user tmpfs where there is one), else <c>&lt;temp&gt;/devspaces-mounts-&lt;user&gt;</c>.</summary>
    public static MountFolders Default(string? runtimeDirectory) => new(
        !string.IsNullOrEmpty(runtimeDirectory) && Directory.Exists(runtimeDirectory)
            ? Path.Combine(runtimeDirectory, "devspaces-mounts")
            : Path.Combine(Path.GetTempPath(), $"devspaces-mounts-{Environment.UserName}"));

    /// <summary>Creates the session's empty folder, owned by <paramref name="owner"/>.</summary>
    public string Create(string session, ProcessIdentity owner)
    {
        CreatePrivate(BaseDirectory);
        File.WriteAllText(OwnerFile(session), owner.ToString());
        var folder = Path.Combine(BaseDirectory, session);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        CreatePrivate(folder);
        return folder;
    }

    /// <summary>Deletes the session's folder and its owner file; nothing when they are gone already.</summary>
    public void Delete(string session)
    {
        var folder = Path.Combine(BaseDirectory, session);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        File.Delete(OwnerFile(session));
    }

    /// <summary>Deletes the folders whose owning process is gone (or unknown); returns their sessions.</summary>
    public IReadOnlyList<string> DeleteStale()
    {
        if (!Directory.Exists(BaseDirectory))
        {
            return [];
        }

        var removed = new List<string>();
        var sessions = Directory.GetDirectories(BaseDirectory).Select(Path.GetFileName)
            .Concat(Directory.GetFiles(BaseDirectory, "*.owner").Select(Path.GetFileNameWithoutExtension))
            .OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var session in sessions)
        {
            var owner = File.Exists(OwnerFile(session)) ? ProcessIdentity.Parse(File.ReadAllText(OwnerFile(session)).Trim()) : null;
            if (owner?.IsAlive() != true)
            {
                Delete(session);
                removed.Add(session);
            }
        }

        return removed;
    }

    private string OwnerFile(string session) => Path.Combine(BaseDirectory, session + ".owner");

    private static void CreatePrivate(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            // Also when it existed: the copies hold secrets, so only this user may look in.
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
