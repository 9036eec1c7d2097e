using System.Text.RegularExpressions;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Spaces;

/// <summary>Space names are namespace names: DNS-1123 labels.</summary>
public static partial class SpaceName
{
    public const int MaxLength = 63;

    /// <summary>Throws <see cref="RpcErrorCode.InvalidName"/> saying exactly what is wrong with <paramref name="name"/>.</summary>
    public static string Validate(string? name, string what = "Space name")
    {
        var problem = Problem(name);
        if (problem != null)
        {
            throw new DevSpacesException(
                RpcErrorCode.InvalidName,
                $"{what} '{name}' is invalid: {problem}.",
                "Use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (a DNS-1123 label), e.g. 'alice-feature-1'.");
        }

        return name!;
    }

    /// <summary>What is wrong with the name, or null when it is a valid DNS-1123 label.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it has {name.Length} characters, more than {MaxLength}";
        }

        var bad = name.FirstOrDefault(c => !(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'));
        if (bad != default)
        {
            return char.IsUpper(bad)
                ? $"it contains the uppercase letter '{bad}' (only lowercase is allowed)"
                : $"it contains '{bad}' at position {name.IndexOf(bad) + 1} (only a-z, 0-9 and '-' are allowed)";
        }

        if (name.StartsWith('-') || name.EndsWith('-'))
        {
            return "it starts or ends with '-'";
        }

        return Label().IsMatch(name) ? null : "it is not a DNS-1123 label";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
