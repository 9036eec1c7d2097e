using System.Security.Cryptography;
using System.Text;

namespace DevSpaces.Helper.Protocol;

/// <summary>
/// One hash for a whole tree, computed the same way on both ends: SHA-256 over every file's path, executable bit
/// and content hash, in ordinal path order. Equal tree hashes mean equal trees.
/// </summary>
public static class TreeHash
{
    public static string Compute(IEnumerable<FileEntry> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Path}\0{(file.Executable ? 'x' : '-')}{file.Hash}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>SHA-256 of a file's content, lowercase hex.</summary>
    public static string OfContent(Stream content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>SHA-256 of a file's content, lowercase hex.</summary>
    public static string OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        return OfContent(stream);
    }
}
