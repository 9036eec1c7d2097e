namespace DevSpaces.Agent;

/// <summary>What the request and answer framings share about HTTP/1.x heads.</summary>
public static class HttpHeads
{
    /// <summary>The longest head followed; a longer one turns the connection into a pass-through.</summary>
    public const int MaxHead = 64 * 1024;

    /// <summary>True when the byte just added to <paramref name="head"/> ends it (an empty line, CRLF or bare LF).</summary>
    public static bool Ended(List<byte> head)
    {
        var n = head.Count;
        return n >= 2 && head[n - 1] == '\n' && (head[n - 2] == '\n' || (n >= 4 && head[n - 2] == '\r' && head[n - 3] == '\n'));
    }

    /// <summary>True when the field line <paramref name="field"/> is named <paramref name="name"/> (any case).</summary>
    public static bool IsField(string field, string name) =>
        field.Length > name.Length && field[name.Length] == ':' && field.StartsWith(name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of a field line, trimmed.</summary>
    public static string Value(string field) => field[(field.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();

    /// <summary>True when a comma-separated field value lists <paramref name="token"/> (any case).</summary>
    public static bool Lists(string value, string token) =>
        value.Split(',').Any(t => t.Trim().Equals(token, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when a <c>Transfer-Encoding</c> value ends with <c>chunked</c> (the body's framing then is chunks).</summary>
    public static bool Chunked(string value) =>
        value.Split(',').Last().Trim().Equals("chunked", StringComparison.OrdinalIgnoreCase);
}
