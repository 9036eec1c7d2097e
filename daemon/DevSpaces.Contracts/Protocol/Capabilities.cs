namespace DevSpaces.Contracts;

/// <summary>Feature names announced in <see cref="InitializeResult.Capabilities"/>.</summary>
public static class Capabilities
{
    /// <summary>context/list, context/use, context/status.</summary>
    public const string Contexts = "contexts";

    /// <summary>space/list, space/create, space/select, space/current, space/delete.</summary>
    public const string Spaces = "spaces";

    /// <summary>service/list.</summary>
    public const string Services = "services";

    /// <summary>space/changed and service/changed notifications from cluster watches.</summary>
    public const string Watch = "watch";

    /// <summary>portForward/start, portForward/stop, portForward/list and portForward/event.</summary>
    public const string PortForward = "portForward";

    /// <summary>image/build and image/progress.</summary>
    public const string Images = "images";

    /// <summary>connect/start, connect/stop, connect/list and connect/event.</summary>
    public const string Connect = "connect";

    /// <summary>up/start, up/stop, up/list, down and up/event.</summary>
    public const string Up = "up";

    /// <summary>Every feature name, in the order they are announced.</summary>
    public static IReadOnlyList<string> All { get; } = [Contexts, Spaces, Services, Watch, PortForward, Images, Connect, Up];
}
