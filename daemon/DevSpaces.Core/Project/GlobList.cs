using DevSpaces.Core.Images;

namespace DevSpaces.Core.Project;

/// <summary>
/// An ordered list of globs relative to the project folder, as in <c>devspaces.yaml</c>: <c>*</c> and <c>?</c> stay
/// within a path segment, <c>**</c> spans segments, <c>[…]</c> is a character class, a leading <c>!</c> takes back
/// what earlier globs matched, and the last glob matching a path (or one of its parent folders) decides. These are the
/// rules of <c>.dockerignore</c> lines, so the matching is <see cref="DockerIgnore"/>'s.
/// </summary>
public sealed class GlobList
{
    private readonly DockerIgnore _rules;

    public GlobList(IReadOnlyList<string> globs)
    {
        Globs = globs;
        _rules = new DockerIgnore(globs);
    }

    public static GlobList Everything { get; } = new(["**"]);

    /// <summary>The globs as written.</summary>
    public IReadOnlyList<string> Globs { get; }

    /// <summary>Whether a project-relative path (forward slashes) is matched.</summary>
    public bool Matches(string relativePath) => _rules.IsExcluded(relativePath);

    /// <summary>What is wrong with one glob as written, or null when it is usable.</summary>
    public static string? Problem(string glob)
    {
        var text = glob.StartsWith('!') ? glob[1..] : glob;
        if (text.Trim().Length == 0)
        {
            return glob.StartsWith('!') ? "'!' needs a glob after it, e.g. '!bin/**'" : "the glob is empty";
        }

        if (text.StartsWith('/'))
        {
            return $"globs are relative to this file's folder: write '{text.TrimStart('/')}' without the leading '/'";
        }

        if (text.Replace('\\', '/').Split('/').Contains(".."))
        {
            return "'..' would leave this file's folder; only files inside it are synced";
        }

        if (text.Contains('{') || text.Contains('}'))
        {
            return "braces '{a,b}' are not supported: write one glob per alternative";
        }

        var open = -1;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when open < 0:
                    open = i;
                    break;
                case ']' when open >= 0 && i > open + 1:
                    open = -1;
                    break;
            }
        }

        return open >= 0 ? $"'[' at position {open + 1} is not closed by ']'" : null;
    }
}
