using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

    /// <summary>
    /// Fails with a clear error when this process may not listen on the Services' ports below 1024 (or on the
    /// 127.77.x.y addresses at all), so that a session with the hosts-file section fails before the cluster changes.
    /// </summary>
    public static void CheckBindable(IEnumerable<OutboundEndpoint> endpoints)
    {
        foreach (var endpoint in endpoints.OrderBy(e => e.ServicePort).Take(1))
        {
            var address = For(endpoint.Namespace, endpoint.Service, 0);
            var probe = new TcpListener(address, endpoint.ServicePort);
            try
            {
                probe.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                throw ConnectErrors.LoopbackAddressUnavailable(address.ToString(), e.Message);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                throw ConnectErrors.PortNotAllowed(endpoint.Service, address.ToString(), endpoint.ServicePort, e.Message);
            }
            catch (SocketException)
            {
                // In use: the session takes the next address then.
            }
            finally
            {
                probe.Stop();
            }
        }
    }
}
