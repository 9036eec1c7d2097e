using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using System.Globalization;

namespace DevSpaces.Core.PortForwarding;

/// <summary>
/// One local port forwarded to a remote port. <see cref="RemotePort"/> is a number or a port name; for a Service it
/// names the service port (resolved to its targetPort), otherwise a container port.
/// </summary>
public sealed record PortMapping(int LocalPort, string RemotePort)
{
    /// <summary>Parses <c>LOCAL:REMOTE</c>, <c>:REMOTE</c> (any free local port) or <c>PORT</c> (same on both sides).</summary>
    public static PortMapping Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.IndexOf(':');
        var local = colon < 0 ? text : text[..colon];
        var remote = colon < 0 ? text : text[(colon + 1)..];
        int localPort;
        if (local.Length == 0)
        {
            localPort = 0;
        }
        else if (!int.TryParse(local, NumberStyles.None, CultureInfo.InvariantCulture, out localPort) || localPort is < 0 or > 65535)
        {
            throw Invalid(text);
        }

        if (remote.Length == 0 || (char.IsAsciiDigit(remote[0]) && !IsPortNumber(remote)))
        {
            throw Invalid(text);
        }

        if (colon < 0 && !IsPortNumber(remote))
        {
            throw Invalid(text);
        }

        return new PortMapping(localPort, remote);
    }

    /// <summary>The remote port as a number when it is one.</summary>
    public int? RemotePortNumber =>
        IsPortNumber(RemotePort) ? int.Parse(RemotePort, CultureInfo.InvariantCulture) : null;

    public override string ToString() => $"{LocalPort}:{RemotePort}";

    private static bool IsPortNumber(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535;

    private static DevSpacesException Invalid(string text) => new(
        RpcErrorCode.InvalidPortForward,
        $"'{text}' is not a port mapping.",
        "Use LOCAL:REMOTE (e.g. 8080:80), :REMOTE for any free local port, or PORT; REMOTE may be a port name.");
}
