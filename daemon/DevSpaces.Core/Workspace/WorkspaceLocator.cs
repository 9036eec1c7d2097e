namespace DevSpaces.Core.Workspace;

/// <summary>Finds the workspace folder for a CLI run: the nearest folder upwards with <c>.devspaces/</c> or <c>devspaces.yaml</c>, else the start folder.</summary>
public static class WorkspaceLocator
{
    public static string Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir != null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, ".devspaces")) || File.Exists(Path.Combine(dir.FullName, "devspaces.yaml")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(start);
    }
}
