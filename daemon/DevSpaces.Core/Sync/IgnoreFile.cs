namespace DevSpaces.Core.Sync;

/// <summary>
/// Reads ignore files into the <see cref="Images.DockerIgnore"/> pattern language: <c>.dockerignore</c> as it is,
/// <c>.gitignore</c> (and any other name) translated: a pattern without a slash matches at any depth (<c>**/</c> is
/// put in front), one with a slash is anchored at the folder, a trailing slash is dropped (the folder and all in it).
/// Only the ignore files at the synced folder's root are read.
/// </summary>
public static class IgnoreFile
{
    public static IEnumerable<string> Read(string path) =>
        Path.GetFileName(path) == ".dockerignore" ? File.ReadLines(path) : FromGitignore(File.ReadLines(path));

    public static IEnumerable<string> FromGitignore(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var negated = line[0] == '!';
            if (negated)
            {
                line = line[1..];
            }

            var anchored = line.TrimEnd('/').Contains('/');
            line = line.Trim('/');
            if (line.Length == 0)
            {
                continue;
            }

            yield return (negated ? "!" : "") + (anchored || line.StartsWith("**", StringComparison.Ordinal) ? line : "**/" + line);
        }
    }
}
