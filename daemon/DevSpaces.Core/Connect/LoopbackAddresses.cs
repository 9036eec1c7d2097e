using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Core.Connect;

/// <summary>
/// The loopback address a Service gets for the hosts-file section: derived from its namespace and name within
/// 127.77.0.0/16, so the same Service gets the same address in every session. Linux routes all of 127.0.0.0/8 to
/// the loopback interface, so no set-up is needed. On a clash (another Service, another session) the next candidate
/// is taken.
/// </summary>
public static class LoopbackAddresses
{
    private const int Slots = 256 * 254;

    /// <summary>The <paramref name="attempt"/>-th candidate address of a Service (0 first).</summary>
    public static IPAddress For(string ns, string service, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{ns}/{service}"));
        var slot = (int)((BitConverter.ToUInt32(hash, 0) + (uint)attempt) % Slots);
        return IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"127.77.{slot / 254}.{slot % 254 + 1}"));
    }

    /// <summary>The names a Service answers to in the cluster, nearest first: <c>svc</c> (only in its own space), <c>svc.ns</c>, <c>svc.ns.svc</c>, <c>svc.ns.svc.cluster.local</c>.</summary>
    public static IReadOnlyList<string> NamesOf(string service, string ns, bool inOwnSpace) =>
        inOwnSpace
            ? [service, $"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"]
            : [$"{service}.{ns}", $"{service}.{ns}.svc", $"{service}.{ns}.svc.cluster.local"];
}
