namespace DevSpaces.Core.Routing;

/// <summary>The environment variables the router reads.</summary>
public static class RouterEnvironment
{
    /// <summary>The <see cref="RouterConfig"/> as JSON.</summary>
    public const string Routes = "DEVSPACES_ROUTES";

    /// <summary>
    /// <c>0</c> hands Kestrel's connection work to the thread pool instead of running it on the socket thread that
    /// completed the read or write (the default); only for comparing the two (bench/router).
    /// </summary>
    public const string InlineScheduling = "DEVSPACES_ROUTER_INLINE_SCHEDULING";
}
