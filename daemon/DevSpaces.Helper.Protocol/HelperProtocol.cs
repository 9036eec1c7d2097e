namespace DevSpaces.Helper.Protocol;

/// <summary>Constants both ends agree on.</summary>
public static class HelperProtocol
{
    /// <summary>Raised whenever a frame's meaning changes; the helper refuses other versions.</summary>
    public const int Version = 2;

    /// <summary>The helper's default port inside the pod (it listens on loopback; the daemon comes through a port-forward).</summary>
    public const int DefaultPort = 50051;

    /// <summary>Environment variable holding the session key the daemon proves it knows.</summary>
    public const string KeyVariable = "DEVSPACES_HELPER_KEY";

    /// <summary>Manifest entries per <see cref="HelperFrameKind.ManifestPart"/> frame.</summary>
    public const int ManifestEntriesPerFrame = 2000;

    /// <summary>
    /// How the name of a file the helper is still receiving begins: it is written beside its place under this name and a
    /// number, then renamed; never part of the tree.
    /// </summary>
    public const string PartialPrefix = ".devspaces-partial-";
}
