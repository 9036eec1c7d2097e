namespace DevSpaces.Core.Up;

/// <summary>The names <c>up</c> marks what it deploys with.</summary>
public static class UpLabels
{
    /// <summary><c>devspaces.io/up=&lt;service&gt;</c> on every object <c>up</c> applied, and on the pods it runs.</summary>
    public const string Service = "devspaces.io/up";

    /// <summary>The key of the helper's session key in its Secret.</summary>
    public const string KeySecretKey = "key";

    /// <summary>The Secret with the helper's session key.</summary>
    public static string KeySecret(string service) => $"{service}-devspaces-helper";

    /// <summary>The ConfigMap recording what <c>up</c> created and what it replaced, so <c>down</c> undoes exactly that.</summary>
    public static string Record(string service) => $"{service}-devspaces-up";
}
