using System.Text;
using System.Text.RegularExpressions;

namespace DevSpaces.Core.Images;

/// <summary>
/// One <c>.dockerignore</c> line. Patterns are anchored at the context root (unlike <c>.gitignore</c>):
/// <c>*</c> and <c>?</c> stay within one path segment, <c>**</c> spans any number of segments (also none),
/// <c>[…]</c> is a character class, <c>\</c> escapes, and a leading <c>!</c> re-includes.
/// </summary>
public sealed class DockerIgnorePattern
{
    private readonly Regex _regex;

    private DockerIgnorePattern(string text, bool isException, Regex regex)
    {
        Text = text;
        IsException = isException;
        _regex = regex;
    }

    /// <summary>The cleaned pattern, without <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>True for <c>!pattern</c> lines, which re-include what earlier lines excluded.</summary>
    public bool IsException { get; }

    /// <summary>Parses one line; null for blank lines and comments.</summary>
    public static DockerIgnorePattern? Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        var isException = text[0] == '!';
        if (isException)
        {
            text = text[1..].Trim();
        }

        text = Clean(text);
        if (text.Length == 0)
        {
            return null;
        }

        return new DockerIgnorePattern(text, isException, new Regex(ToRegex(text), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    /// <summary>Whether the pattern matches exactly this context-relative path (forward slashes).</summary>
    public bool Matches(string relativePath) => _regex.IsMatch(relativePath);

    /// <summary>Like Go's <c>filepath.Clean</c> on a root-relative path: no leading <c>/</c>, no <c>.</c>/<c>..</c> segments, no trailing slash.</summary>
    private static string Clean(string pattern)
    {
        var segments = new List<string>();
        foreach (var segment in pattern.Replace('\\', '\0').Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments).Replace('\0', '\\');
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" also matches no directory at all.
                        i++;
                        regex.Append("(?:.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\' when i + 1 < pattern.Length:
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var body = pattern[(i + 1)..end];
                    var negate = body.Length > 0 && (body[0] == '^' || body[0] == '!');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    regex.Append(negate ? "[^/" : "[").Append(body.Replace(@"\", @"\\").Replace("[", @"\[")).Append(']');
                    i = end;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.Append('$').ToString();
    }
}
