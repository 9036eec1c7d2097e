using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Connect;

/// <summary>The places on this machine connect sessions change: the hosts file and the folders of copied mounts.</summary>
/// <param name="Hosts">The hosts file (<c>/etc/hosts</c> unless <c>DEVSPACES_HOSTS_FILE</c> names another).</param>
/// <param name="Mounts">The folders of copied mounts.</param>
public sealed record LocalFiles(HostsFile Hosts, MountFolders Mounts)
{
    /// <summary>From <c>DEVSPACES_HOSTS_FILE</c> and <c>XDG_RUNTIME_DIR</c>.</summary>
    public static LocalFiles FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>From <c>DEVSPACES_HOSTS_FILE</c> and <c>XDG_RUNTIME_DIR</c> as <paramref name="environment"/> gives them.</summary>
    public static LocalFiles FromEnvironment(Func<string, string?> environment) => new(
        HostsFile.FromEnvironment(environment(HostsFile.PathVariable)),
        MountFolders.Default(environment("XDG_RUNTIME_DIR")));

    /// <summary>
    /// Removes what crashed sessions left here (hosts-file sections and mount folders whose owning process is gone);
    /// returns what was removed. A hosts file that cannot be written is left for a run with the right to.
    /// </summary>
    public IReadOnlyList<string> CleanStale(Action<string> warn)
    {
        var cleaned = new List<string>();
        try
        {
            cleaned.AddRange(Hosts.RemoveStaleSections().Select(s => $"hosts-file section of session {s} in {Hosts.Path}"));
        }
        catch (DevSpacesException e)
        {
            warn($"{e.Message} {e.Hint}");
        }

        try
        {
            cleaned.AddRange(Mounts.DeleteStale().Select(s => $"mount copies of session {s} in {Mounts.BaseDirectory}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"cannot delete the mount copies of a crashed session in {Mounts.BaseDirectory}: {e.Message}");
        }

        return cleaned;
    }
}
