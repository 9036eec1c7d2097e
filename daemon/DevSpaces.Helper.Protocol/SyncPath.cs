namespace DevSpaces.Helper.Protocol;

/// <summary>The rules a synced path follows on both ends: relative, forward slashes, no empty, '.' or '..' segments.</summary>
public static class SyncPath
{
    /// <summary>Null when <paramref name="path"/> is a valid synced path, else why not.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "the path is empty";
        }

        if (path[0] == '/' || path.Contains('\0') || path.Contains('\\'))
        {
            return "the path is absolute or holds a backslash or NUL";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "the path has an empty, '.' or '..' segment and could leave the synced folder";
            }
        }

        if (path[(path.LastIndexOf('/') + 1)..].StartsWith(HelperProtocol.PartialPrefix, StringComparison.Ordinal))
        {
            return $"names beginning with {HelperProtocol.PartialPrefix} are the helper's own, for files it is receiving";
        }

        return null;
    }
}
