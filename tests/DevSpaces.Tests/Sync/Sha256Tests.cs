using System.Security.Cryptography;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Tests.Sync;

public class Sha256Tests
{
    [TestCase(0)]
    [TestCase(3)]
    [TestCase(55)]
    [TestCase(56)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(1_000_003)]
    public void The_Managed_Hash_Equals_The_Platforms_For_Any_Length_And_Any_Split(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var expected = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.That(Sha256.OfContent(new MemoryStream(data)), Is.EqualTo(expected));

        var split = new Sha256();
        for (var offset = 0; offset < length; offset += 1 + (offset % 97))
        {
            split.Append(data.AsSpan(offset, Math.Min(1 + (offset % 97), length - offset)));
        }

        Assert.That(Convert.ToHexStringLower(split.GetHashAndReset()), Is.EqualTo(expected));
        Assert.That(Convert.ToHexStringLower(split.GetHashAndReset()), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Array.Empty<byte>()))), "a reset hash starts over");
    }

    [TestCase(0)]
    [TestCase(32)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(200)]
    public void The_Managed_Hmac_Equals_The_Platforms_For_Keys_Shorter_And_Longer_Than_A_Block(int keyLength)
    {
        var key = new byte[keyLength];
        new Random(keyLength).NextBytes(key);
        var message = "devspaces-tunnel-v1 and a nonce"u8.ToArray();
        Assert.That(Sha256.Hmac(key, message), Is.EqualTo(HMACSHA256.HashData(key, message)));
    }

    [Test]
    public void Where_Libssl_Loads_The_Content_Hasher_Uses_The_Platforms_Hash_With_The_Same_Result()
    {
        Assert.That(ContentHasher.PlatformAvailable, Is.True, "this machine has libssl, as Debian-based images do");
        var data = new byte[300_001];
        new Random(7).NextBytes(data);
        using var hasher = new ContentHasher();
        hasher.Append(data.AsSpan(0, 1000));
        hasher.Append(data.AsSpan(1000));
        Assert.That(hasher.GetHashAndReset(), Is.EqualTo(SHA256.HashData(data)));

        using var file = new DevSpaces.Tests.Support.TempDirectory();
        var path = Path.Combine(file.Path, "f.bin");
        File.WriteAllBytes(path, data);
        Assert.That(ContentHasher.OfFile(path), Is.EqualTo(Sha256.OfFile(path)));
    }
}
