namespace DevSpaces.Core.Routing;

/// <summary>Where a request's routing key came from. The first present decides: header, then baggage, then host.</summary>
public enum RouteKeySource
{
    /// <summary>No key: the request goes to the baseline.</summary>
    None,

    /// <summary>The <c>devspaces-route-as</c> header.</summary>
    Header,

    /// <summary>The <c>devspaces.space</c> member of W3C <c>baggage</c>.</summary>
    Baggage,

    /// <summary>The space URL's host, <c>&lt;space&gt;.s.&lt;root host&gt;</c>.</summary>
    Host,
}
