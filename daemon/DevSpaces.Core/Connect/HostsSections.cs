using System.Text;
using System.Text.RegularExpressions;

namespace DevSpaces.Core.Connect;

/// <summary>
/// Edits the text of a hosts file: adds, replaces and removes the sections a connect session writes, each between
/// <c># BEGIN devspaces &lt;session&gt; owner=&lt;pid.start&gt; …</c> and <c># END devspaces &lt;session&gt;</c>.
/// Lines outside these sections are never changed, and a BEGIN line without its END is left as it is.
/// </summary>
public static partial class HostsSections
{
    /// <summary>The text with the session's section (replacing any earlier one of the same session) at its end.</summary>
    public static string With(string text, string session, ProcessIdentity owner, string description, IReadOnlyList<HostsEntry> entries)
    {
        var kept = Without(text, (s, _) => s == session, out _);
        var result = new StringBuilder(kept);
        if (result.Length > 0 && result[^1] != '\n')
        {
            result.Append('\n');
        }

        result.Append($"# BEGIN devspaces {session} owner={owner} {description}\n");
        foreach (var entry in entries)
        {
            result.Append(entry.Address).Append('\t').Append(string.Join(' ', entry.Names)).Append('\n');
        }

        result.Append($"# END devspaces {session}\n");
        return result.ToString();
    }

    /// <summary>The text without the sections <paramref name="remove"/> picks (by session and owner); <paramref name="removed"/> names them.</summary>
    public static string Without(string text, Func<string, ProcessIdentity?, bool> remove, out IReadOnlyList<string> removed)
    {
        var lines = text.Split('\n');
        var keep = new bool[lines.Length];
        Array.Fill(keep, true);
        var names = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var begin = BeginPattern().Match(lines[i].TrimEnd('\r'));
            if (!begin.Success)
            {
                continue;
            }

            var session = begin.Groups["session"].Value;
            var end = Array.FindIndex(lines, i + 1, l => l.TrimEnd('\r') == $"# END devspaces {session}");
            if (end < 0 || !remove(session, ProcessIdentity.Parse(begin.Groups["owner"].Value)))
            {
                continue;
            }

            for (var j = i; j <= end; j++)
            {
                keep[j] = false;
            }

            names.Add(session);
            i = end;
        }

        removed = names;
        if (names.Count == 0)
        {
            return text;
        }

        // The last element after a final '\n' is the empty remainder; keep the file ending as it was.
        var result = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            result.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                result.Append('\n');
            }
        }

        return result.ToString();
    }

    /// <summary>The sessions with a section in the text, and the processes that own them.</summary>
    public static IReadOnlyList<(string Session, ProcessIdentity? Owner)> List(string text) =>
        [.. text.Split('\n').Select(l => BeginPattern().Match(l.TrimEnd('\r'))).Where(m => m.Success)
            .Select(m => (m.Groups["session"].Value, ProcessIdentity.Parse(m.Groups["owner"].Value)))];

    [GeneratedRegex(@"^# BEGIN devspaces (?<session>[A-Za-z0-9_-]+) owner=(?<owner>[0-9.]+)( .*)?$")]
    private static partial Regex BeginPattern();
}
