using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DevSpaces.Helper.Protocol;

/// <summary>
/// SHA-256 of file content, incrementally: the platform's (OpenSSL on Linux, about ten times faster than
/// <see cref="Sha256"/>) where libssl can be loaded, else <see cref="Sha256"/>, so that the helper also runs in an
/// image without libssl. .NET's crypto shim aborts the process when it finds no libssl, so the dynamic loader is
/// asked first, once.
/// </summary>
public sealed class ContentHasher : IDisposable
{
    // The names .NET's OpenSSL shim tries, newest first.
    private static readonly string[] Libssl = ["libssl.so.3", "libssl.so.1.1", "libssl.so.1.0.2", "libssl.so.10", "libssl.so"];

    private readonly IncrementalHash? platform;
    private readonly Sha256? managed;

    public ContentHasher()
    {
        if (PlatformAvailable)
        {
            platform = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
        else
        {
            managed = new Sha256();
        }
    }

    /// <summary>Whether the platform's SHA-256 can run here (on Linux: a libssl loads).</summary>
    public static bool PlatformAvailable { get; } = !OperatingSystem.IsLinux() || Libssl.Any(CanLoad);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (platform is not null)
        {
            platform.AppendData(data);
        }
        else
        {
            managed!.Append(data);
        }
    }

    public byte[] GetHashAndReset() => platform?.GetHashAndReset() ?? managed!.GetHashAndReset();

    /// <summary>SHA-256 of a file's content, lowercase hex.</summary>
    public static string OfFile(string path) => PlatformAvailable ? TreeHash.OfFile(path) : Sha256.OfFile(path);

    public void Dispose() => platform?.Dispose();

    private static bool CanLoad(string name)
    {
        if (!NativeLibrary.TryLoad(name, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
