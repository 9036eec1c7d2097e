using System.Security.Cryptography;
using System.Text;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Tunnel;

/// <summary>
/// Proves that the connecting side knows the session key without sending it: the agent sends a fresh nonce, the
/// daemon answers with HMAC-SHA256(key, context + nonce), the agent answers one byte (accepted or not). The accepting
/// side needs no OpenSSL (the in-container helper runs in images without libssl): its nonce comes from the kernel and
/// the HMAC is <see cref="Sha256"/>'s.
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
        var nonce = KernelRandom(NonceLength);
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
        Sha256.Hmac(Convert.FromBase64String(key), Context.Concat(nonce).ToArray());

    /// <summary>Random bytes from /dev/urandom where there is one (Linux, also in an image without libssl), else from the platform's generator.</summary>
    private static byte[] KernelRandom(int length)
    {
        if (!File.Exists("/dev/urandom"))
        {
            return RandomNumberGenerator.GetBytes(length);
        }

        var bytes = new byte[length];
        using var urandom = new FileStream("/dev/urandom", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        urandom.ReadExactly(bytes);
        return bytes;
    }
}
