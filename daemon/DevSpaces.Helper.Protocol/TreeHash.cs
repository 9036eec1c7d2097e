using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Helper.Protocol;

/// <summary>
/// One hash for a whole tree, computed the same way on both ends: SHA-256 over every file's path, executable bit
/// and content hash, in ordinal path order. Equal tree hashes mean equal trees. The tree's hash is <see cref="Sha256"/>'s,
/// so the helper computes it without OpenSSL.
/// </summary>
public static class TreeHash
{
    public static string Compute(IEnumerable<FileEntry> files)
    {
        var hash = new Sha256();
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.Append(Encoding.UTF8.GetBytes($"{file.Path}\0{(file.Executable ? 'x' : '-')}{file.Hash}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of a file's content, lowercase hex, by the platform's implementation (the helper uses <see cref="Sha256"/>).</summary>
    public static string OfContent(Stream content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>SHA-256 of a file's content, lowercase hex.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return OfContent(stream);
    }
}
