using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Tunnel;

/// <summary>
/// Proves that the connecting side knows the session key without sending it: the agent sends a fresh nonce, the
/// daemon answers with HMAC-SHA256(key, context + nonce), the agent answers one byte (accepted or not).
/// </summary>
public static class TunnelHandshake
{
    private static readonly byte[] Magic = "DSTUN1\n"u8.ToArray();
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("devspaces-tunnel-v1");
    private const int NonceLength = 32;
    private const byte Accepted = 1;
    private const byte Rejected = 0;

    /// <summary>A new random session key, base64.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The agent's side; returns false (after telling the peer) when the proof is wrong.</summary>
    public static async Task<bool> AcceptAsync(Stream stream, string key, CancellationToken cancellationToken)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        await stream.WriteAsync(Magic.Concat(nonce).ToArray(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var proof = new byte[32];
        await stream.ReadExactlyAsync(proof, cancellationToken).ConfigureAwait(false);
        var ok = CryptographicOperations.FixedTimeEquals(proof, Prove(key, nonce));
        await stream.WriteAsync(new[] { ok ? Accepted : Rejected }, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ok;
    }

    /// <summary>The daemon's side; throws <see cref="TunnelRejectedException"/> when the agent refuses.</summary>
    public static async Task AuthenticateAsync(Stream stream, string key, CancellationToken cancellationToken)
    {
        var hello = new byte[Magic.Length + NonceLength];
        await stream.ReadExactlyAsync(hello, cancellationToken).ConfigureAwait(false);
        if (!hello.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new TunnelRejectedException("The peer is not a DevSpaces agent of this version (unexpected greeting).");
        }

        await stream.WriteAsync(Prove(key, hello[Magic.Length..]), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = new byte[1];
        await stream.ReadExactlyAsync(answer, cancellationToken).ConfigureAwait(false);
        if (answer[0] != Accepted)
        {
            throw new TunnelRejectedException("The agent rejected the session key: it belongs to another session.");
        }
    }

    private static byte[] Prove(string key, byte[] nonce) =>
        HMACSHA256.HashData(Convert.FromBase64String(key), Context.Concat(nonce).ToArray());
}
