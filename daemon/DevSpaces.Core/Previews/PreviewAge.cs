using System.Globalization;

namespace DevSpaces.Core.Previews;

/// <summary>Ages as people write them on a command line: <c>7d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c>.</summary>
public static class PreviewAge
{
    /// <summary>The age, or null when <paramref name="text"/> is not a positive number followed by d, h, m or s.</summary>
    public static TimeSpan? Parse(string text)
    {
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            'd' => TimeSpan.FromDays(number),
            'h' => TimeSpan.FromHours(number),
            'm' => TimeSpan.FromMinutes(number),
            's' => TimeSpan.FromSeconds(number),
            _ => null,
        };
    }

    /// <summary>The age in its largest whole unit: <c>3d</c>, <c>5h</c>, <c>12m</c>, <c>40s</c>.</summary>
    public static string Format(TimeSpan age) =>
        age.TotalDays >= 1 ? $"{(int)age.TotalDays}d"
        : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h"
        : age.TotalMinutes >= 1 ? $"{(int)age.TotalMinutes}m"
        : $"{Math.Max(0, (int)age.TotalSeconds)}s";
}
