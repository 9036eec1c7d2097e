using System.Text.RegularExpressions;

namespace DevSpaces.Core.Images;

/// <summary>
/// Finds the images a Dockerfile builds FROM, with <c>ARG</c> defaults and build args substituted, so that a
/// changed base image changes the content tag too.
/// </summary>
public static partial class DockerfileBaseImages
{
    public static IReadOnlyList<string> Find(string dockerfileText, IReadOnlyDictionary<string, string> buildArgs)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        var seenFrom = false;
        foreach (var rawLine in JoinContinuations(dockerfileText))
        {
            var line = rawLine.Trim();
            var arg = ArgLine().Match(line);
            if (arg.Success && !seenFrom)
            {
                var name = arg.Groups["name"].Value;
                args[name] = buildArgs.TryGetValue(name, out var given) ? given : arg.Groups["value"].Value.Trim('"');
                continue;
            }

            var from = FromLine().Match(line);
            if (!from.Success)
            {
                continue;
            }

            seenFrom = true;
            var image = Substitute(from.Groups["image"].Value, args);
            if (!stages.Contains(image) && !image.Equals("scratch", StringComparison.OrdinalIgnoreCase))
            {
                images.Add(image);
            }

            if (from.Groups["stage"].Success)
            {
                stages.Add(from.Groups["stage"].Value);
            }
        }

        return images;
    }

    private static IEnumerable<string> JoinContinuations(string text)
    {
        var current = "";
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r', ' ', '\t');
            if (trimmed.EndsWith('\\'))
            {
                current += trimmed[..^1] + " ";
                continue;
            }

            yield return current + trimmed;
            current = "";
        }
    }

    private static string Substitute(string text, Dictionary<string, string> args) =>
        Variable().Replace(text, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return args.TryGetValue(name, out var value) ? value : m.Groups["default"].Success ? m.Groups["default"].Value : "";
        });

    [GeneratedRegex(@"^ARG\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<value>\S*))?", RegexOptions.IgnoreCase)]
    private static partial Regex ArgLine();

    [GeneratedRegex(@"^FROM\s+(?:--\S+\s+)*(?<image>\S+)(?:\s+AS\s+(?<stage>\S+))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromLine();

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}|(?<plain>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();
}
