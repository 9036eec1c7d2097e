namespace DevSpaces.Core.Routing;

/// <summary>The environment variables the router reads.</summary>
public static class RouterEnvironment
{
    /// <summary>The <see cref="RouterConfig"/> as JSON.</summary>
    public const string Routes = "DEVSPACES_ROUTES";
}
