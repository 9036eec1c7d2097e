using System.Text.Encodings.Web;
using System.Text.Json;
using DevSpaces.Contracts;

namespace DevSpaces.Cli.Commands;

/// <summary>Where a verb writes: results to stdout (as text for people, or JSON with <c>--output json</c>), the rest to stderr.</summary>
public sealed class CliOutput(TextWriter stdout, TextWriter stderr, bool json)
{
    // Output is for terminals and scripts, not HTML: keep quotes and non-ASCII readable.
    private static readonly JsonSerializerOptions Indented = RpcJson.Configure(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private static readonly JsonSerializerOptions OneLine = RpcJson.Configure(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public TextWriter Out => stdout;

    public TextWriter Error => stderr;

    /// <summary>True with <c>--output json</c>.</summary>
    public bool Json => json;

    /// <summary>A result: indented JSON, or <paramref name="human"/>'s text. Returns exit code 0.</summary>
    public int Print<T>(T result, Action<TextWriter, T> human)
    {
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, Indented));
        }
        else
        {
            human(stdout, result);
        }

        return 0;
    }

    /// <summary>One value as one line of JSON (events, errors).</summary>
    public static string JsonLine<T>(T value) => JsonSerializer.Serialize(value, OneLine);
}
