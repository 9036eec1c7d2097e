using System.Text;
using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The hosts file (<c>/etc/hosts</c>, or <c>DEVSPACES_HOSTS_FILE</c>) and the sections connect sessions keep in it.
/// Every change is read-modify-write under a lock shared by all devspaces processes of this machine. The new text
/// replaces the file atomically (a temporary file beside it, given the file's mode and owner, renamed over it);
/// where that cannot work, e.g. a hosts file that is a bind mount (as in containers) or a directory we may not write,
/// the file is rewritten in place, which keeps its mode and owner by itself.
/// </summary>
public sealed class HostsFile(string path)
{
    public const string PathVariable = "DEVSPACES_HOSTS_FILE";

    public const string DefaultPath = "/etc/hosts";

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The hosts file named by <c>DEVSPACES_HOSTS_FILE</c>, else <c>/etc/hosts</c>.</summary>
    public static HostsFile FromEnvironment(string? variable) => new(string.IsNullOrEmpty(variable) ? DefaultPath : variable);

    /// <summary>Fails with a clear error when the file cannot be written; writes nothing.</summary>
    public void CheckWritable()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw ConnectErrors.HostsFileNotWritable(Path, e.Message);
        }
    }

    /// <summary>Writes (or replaces) the section of <paramref name="session"/>.</summary>
    public void WriteSection(string session, ProcessIdentity owner, string description, IReadOnlyList<HostsEntry> entries) =>
        Change(text => HostsSections.With(text, session, owner, description, entries));

    /// <summary>Removes the section of <paramref name="session"/>; true when there was one.</summary>
    public bool RemoveSection(string session) => Change(text => HostsSections.Without(text, (s, _) => s == session, out _)) != null;

    /// <summary>Removes the sections whose owning process is gone; returns their sessions. Writes nothing when there are none.</summary>
    public IReadOnlyList<string> RemoveStaleSections()
    {
        if (!File.Exists(Path) || HostsSections.List(File.ReadAllText(Path)).All(s => s.Owner?.IsAlive() == true))
        {
            return [];
        }

        IReadOnlyList<string> removed = [];
        Change(text => HostsSections.Without(text, (_, owner) => owner?.IsAlive() != true, out removed));
        return removed;
    }

    /// <summary>Applies <paramref name="edit"/> under the lock; returns the new text, or null when nothing changed.</summary>
    private string? Change(Func<string, string> edit)
    {
        using var held = Lock();
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw ConnectErrors.HostsFileNotWritable(Path, e.Message);
        }

        var changed = edit(text);
        if (changed == text)
        {
            return null;
        }

        if (!TryReplace(changed))
        {
            WriteInPlace(changed);
        }

        return changed;
    }

    private bool TryReplace(string text)
    {
        var owner = UnixOwner.Of(Path);
        if (owner == null || OperatingSystem.IsWindows() || new FileInfo(Path).LinkTarget != null)
        {
            // Renaming over a symbolic link would replace the link, not the file it points to.
            return false;
        }

        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.devspaces-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.SetUnixFileMode(temp, File.GetUnixFileMode(Path));
            if (UnixOwner.Of(temp) != owner && !UnixOwner.TrySet(temp, owner.Value.Uid, owner.Value.Gid))
            {
                File.Delete(temp);
                return false;
            }

            // Over a bind-mounted file this fails with EBUSY; then the caller writes in place.
            File.Move(temp, Path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is UnauthorizedAccessException or IOException)
            {
                // Nothing was created.
            }

            return false;
        }
    }

    private void WriteInPlace(string text)
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.SetLength(bytes.Length);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw ConnectErrors.HostsFileNotWritable(Path, e.Message);
        }
    }

    /// <summary>An exclusive lock (flock) on one file of this user in the temp folder, for every hosts file.</summary>
    private FileStream Lock()
    {
        var lockPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"devspaces-hosts-{Environment.UserName}.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another devspaces process edits the file right now; its edit takes milliseconds.
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new DevSpacesException(Contracts.RpcErrorCode.ConnectLocalSetupFailed,
                    $"Another devspaces process has held the lock on {Path} ({lockPath}) for 10 s: {e.Message}",
                    "Wait for the other connect command to finish setting up, or end it; then try again.");
            }
        }
    }
}
