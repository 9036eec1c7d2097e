using System.Security.Cryptography;
using System.Text;
using DevSpaces.Core.Spaces;

namespace DevSpaces.Core.Previews;

/// <summary>
/// Turns a branch name or a pull request's name into a space name (a DNS-1123 label). A name that already is one is
/// kept; any other is lowercased, its other characters replaced by '-', and given a short hash of the original, so
/// two branches that differ only in what was replaced (<c>feature/a</c>, <c>feature_a</c>) still get two spaces, and
/// the same branch always gets the same one.
/// </summary>
public static class PreviewName
{
    private const int HashLength = 8;

    public static string From(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SpaceName.Problem(name) == null)
        {
            return name;
        }

        var label = new StringBuilder(name.Length);
        foreach (var c in name.Trim().ToLowerInvariant())
        {
            var allowed = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (allowed)
            {
                label.Append(c);
            }
            else if (label.Length > 0 && label[^1] != '-')
            {
                label.Append('-');
            }
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength].ToLowerInvariant();
        var stem = label.ToString().Trim('-');
        var room = SpaceName.MaxLength - HashLength - 1;
        if (stem.Length > room)
        {
            stem = stem[..room].TrimEnd('-');
        }

        return stem.Length == 0 ? $"preview-{hash}" : $"{stem}-{hash}";
    }
}
