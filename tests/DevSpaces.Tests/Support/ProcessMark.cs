using System.Text;

namespace DevSpaces.Tests.Support;

/// <summary>
/// An environment variable that marks a test's process tree: every descendant inherits it, also one that detached
/// from its parent, so the processes still alive of that tree can be listed from <c>/proc</c> (Linux).
/// </summary>
public sealed class ProcessMark
{
    public string Name => "DEVSPACES_TEST_TREE";

    public string Value { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Living processes carrying the mark, as "pid command line".</summary>
    public IReadOnlyList<string> Living()
    {
        var needle = Encoding.UTF8.GetBytes($"{Name}={Value}\0");
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllBytes(Path.Combine(directory, "environ")).AsSpan().IndexOf(needle) >= 0)
                {
                    found.Add($"{pid} {File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim()}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited meanwhile, or not ours to read.
            }
        }

        return found;
    }
}
