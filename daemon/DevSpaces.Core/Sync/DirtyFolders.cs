namespace DevSpaces.Core.Sync;

/// <summary>Folder-relative folder paths to rescan, without those inside another one of the set ("" is the root).</summary>
public static class DirtyFolders
{
    public static IReadOnlyList<string> Coalesce(IEnumerable<string> folders)
    {
        var kept = new List<string>();
        foreach (var folder in folders.Select(f => f.Trim('/')).Distinct(StringComparer.Ordinal).OrderBy(f => f.Length))
        {
            if (!kept.Any(k => k.Length == 0 || folder == k || folder.StartsWith(k + "/", StringComparison.Ordinal)))
            {
                kept.Add(folder);
            }
        }

        return kept;
    }

    /// <summary>The folder to rescan for a changed path: its parent (a changed folder's parent sees it appear or go).</summary>
    public static string ParentOf(string relativePath)
    {
        var slash = relativePath.TrimEnd('/').LastIndexOf('/');
        return slash < 0 ? "" : relativePath[..slash];
    }
}
