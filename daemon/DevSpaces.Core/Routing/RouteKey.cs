namespace DevSpaces.Core.Routing;

/// <summary>
/// The routing key of one request, read by <see cref="RouteKey.Read"/>: the space it names (null when it names none
/// usable), where it came from, and what was asked for as sent (shortened), for traces.
/// </summary>
public sealed record RouteKey(string? Space, RouteKeySource Source, string? Asked)
{
    /// <summary>The longest baggage (all headers together) read, as W3C Baggage allows; longer is ignored whole.</summary>
    public const int MaxBaggageLength = 8192;

    /// <summary>How much of an unusable value a trace keeps.</summary>
    public const int MaxAskedLength = 80;

    public static readonly RouteKey None = new(null, RouteKeySource.None, null);

    /// <summary>
    /// Reads the key. The first source present decides, and a source that is present but unusable (values that
    /// disagree, a value that is not a space name, baggage longer than <see cref="MaxBaggageLength"/>) does not
    /// fall through to the next one: the request goes to the baseline. Several headers and comma-separated values
    /// count when they all name the same space.
    /// </summary>
    /// <param name="routeAs">Every <c>devspaces-route-as</c> header value.</param>
    /// <param name="baggage">Every <c>baggage</c> header value.</param>
    /// <param name="host">The Host header (with or without a port).</param>
    /// <param name="rootHost">The host the space URLs are under: <c>&lt;space&gt;.s.&lt;rootHost&gt;</c>.</param>
    public static RouteKey Read(IEnumerable<string?> routeAs, IEnumerable<string?> baggage, string? host, string rootHost)
    {
        var headerValues = Values(routeAs, ',').ToList();
        if (headerValues.Count > 0)
        {
            return Agreed(headerValues, RouteKeySource.Header);
        }

        var baggageText = string.Join(',', baggage.Where(b => !string.IsNullOrEmpty(b)));
        if (baggageText.Length > MaxBaggageLength)
        {
            return new RouteKey(null, RouteKeySource.Baggage, Shorten(baggageText));
        }

        var baggageValues = new List<string>();
        foreach (var member in Values([baggageText], ','))
        {
            var properties = member.Split(';')[0];
            var equals = properties.IndexOf('=');
            if (equals > 0 && properties[..equals].Trim() == RoutingNames.BaggageKey)
            {
                baggageValues.Add(Unescape(properties[(equals + 1)..].Trim()));
            }
        }

        if (baggageValues.Count > 0)
        {
            return Agreed(baggageValues, RouteKeySource.Baggage);
        }

        var fromHost = SpaceOfHost(host, rootHost);
        return fromHost is null ? None : new RouteKey(IsSpaceName(fromHost) ? fromHost : null, RouteKeySource.Host, Shorten(fromHost));
    }

    /// <summary>The space label of <c>&lt;space&gt;.s.&lt;rootHost&gt;[:port]</c>, or null when the host is not a space URL's.</summary>
    public static string? SpaceOfHost(string? host, string rootHost)
    {
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(rootHost))
        {
            return null;
        }

        var name = host;
        var colon = name.LastIndexOf(':');
        if (colon >= 0 && !name.EndsWith(']'))
        {
            name = name[..colon];
        }

        var suffix = ".s." + rootHost;
        if (!name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) || name.Length == suffix.Length)
        {
            return null;
        }

        return name[..^suffix.Length].ToLowerInvariant();
    }

    /// <summary>A DNS-1123 label of at most 63 characters: anything else is not a space, whatever the tree holds.</summary>
    public static bool IsSpaceName(string value)
    {
        if (value.Length is 0 or > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static RouteKey Agreed(List<string> values, RouteKeySource source)
    {
        var first = values[0];
        var agreed = values.All(v => v == first) && IsSpaceName(first);
        return new RouteKey(agreed ? first : null, source, Shorten(values.Count == 1 || agreed ? first : string.Join(",", values)));
    }

    private static IEnumerable<string> Values(IEnumerable<string?> headers, char separator) =>
        headers.Where(h => !string.IsNullOrEmpty(h))
            .SelectMany(h => h!.Split(separator))
            .Select(v => v.Trim())
            .Where(v => v.Length > 0);

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static string Shorten(string value) => value.Length <= MaxAskedLength ? value : value[..MaxAskedLength] + "…";
}
