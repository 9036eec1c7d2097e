namespace DevSpaces.Core.Lifetime;

/// <summary>The living descendants of a process, read from <c>/proc</c> (Linux; empty elsewhere).</summary>
internal static class ProcessTree
{
    /// <summary>Descendants of <paramref name="root"/>, parents before children, and which of them are zombies.</summary>
    public static IReadOnlyList<(int Pid, int Parent, bool Zombie)> Descendants(int root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var children = new Dictionary<int, List<(int Pid, bool Zombie)>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile
            }

            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
            if (fields.Length < 2 || !int.TryParse(fields[1], out var parent))
            {
                continue;
            }

            if (!children.TryGetValue(parent, out var list))
            {
                children[parent] = list = [];
            }

            list.Add((pid, fields[0] == "Z"));
        }

        var result = new List<(int, int, bool)>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var parent))
        {
            foreach (var (pid, zombie) in children.GetValueOrDefault(parent) ?? [])
            {
                result.Add((pid, parent, zombie));
                queue.Enqueue(pid);
            }
        }

        return result;
    }
}
