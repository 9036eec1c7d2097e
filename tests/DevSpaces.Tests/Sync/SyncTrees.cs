using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Tests.Sync;

/// <summary>Builds local trees for the sync tests and hashes folders the way both ends of the sync do.</summary>
public static class SyncTrees
{
    public static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    /// <summary>Writes <paramref name="count"/> files of distinct content in nested folders; returns their paths.</summary>
    public static List<string> Write(string root, int count, string salt = "", int size = 64)
    {
        var paths = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = $"d{i % 7}/e{i % 3}/f{i}.txt";
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, $"{salt}{i}:".PadRight(size, 'x'));
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>The tree hash of every regular file under a folder, computed from scratch.</summary>
    public static string HashOf(string root)
    {
        var scanner = new FolderScanner(root, new SyncRules(null, []));
        scanner.ScanAll();
        return TreeHash.Compute(scanner.Files.Values);
    }
}
