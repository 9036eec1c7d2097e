namespace DevSpaces.Core.PortForwarding;

/// <summary>A port-forward failure the user can act on: what went wrong and how to fix it.</summary>
public sealed class PortForwardException(PortForwardErrorCode code, string message, string? fix = null, Exception? inner = null)
    : Exception(fix is null ? message : $"{message} {fix}", inner)
{
    public PortForwardErrorCode Code { get; } = code;

    /// <summary>What to do about it, when there is something to do.</summary>
    public string? Fix { get; } = fix;
}
