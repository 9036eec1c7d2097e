extern alias helper;
using System.Text;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;
using helper::DevSpaces.Helper;

namespace DevSpaces.Tests.Sync;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class IncomingBatchTests
{
    private const int FrameStreamChunk = FrameStream.DataChunkSize;

    [TestCase(1)]
    [TestCase(3)]
    public void Files_Written_By_Several_Writers_End_With_The_Last_Write_Of_Each_Path_And_No_Partial_File(int writers)
    {
        using var container = new TempDirectory();
        var tree = new TreeStore(container.Path);
        var expected = new Dictionary<string, byte[]>();
        BatchResult result;
        using (var batch = new IncomingBatch(tree, writers))
        {
            for (var i = 0; i < 300; i++)
            {
                Send(batch, expected, $"d{i % 10}/f{i}.txt", Encoding.UTF8.GetBytes($"first {i}"));
            }

            // The same path again, a file larger than the writers take (written here, in order), the first path once more,
            // an empty file and a small one in several pieces.
            Send(batch, expected, "d0/f0.txt", Encoding.UTF8.GetBytes("second"));
            Send(batch, expected, "d1/large.bin", new byte[IncomingBatch.SmallFile + 10], chunk: IncomingBatch.SmallFile / 2);
            Send(batch, expected, "d0/f0.txt", Encoding.UTF8.GetBytes("third, the last write"));
            Send(batch, expected, "d2/empty.txt", []);
            Send(batch, expected, "d3/pieces.bin", Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray(), chunk: 300);
            result = tree.Complete(batch);
        }

        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Applied, Is.EqualTo(305));
            Assert.That(result.FileCount, Is.EqualTo(expected.Count));
            Assert.That(result.TreeHash, Is.EqualTo(SyncTrees.HashOf(container.Path)), "the tree hash is that of the folder hashed from scratch");
            Assert.That(File.ReadAllText(Path.Combine(container.Path, "d0/f0.txt")), Is.EqualTo("third, the last write"));
            foreach (var (path, content) in expected)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(container.Path, path)), Is.EqualTo(content), path);
            }

            Assert.That(Directory.EnumerateFiles(container.Path, HelperProtocol.PartialPrefix + "*", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public void A_Move_After_Files_Given_To_The_Writers_Finds_Them_In_Place()
    {
        using var container = new TempDirectory();
        var tree = new TreeStore(container.Path);
        BatchResult result;
        using (var batch = new IncomingBatch(tree, 2))
        {
            var expected = new Dictionary<string, byte[]>();
            for (var i = 0; i < 50; i++)
            {
                Send(batch, expected, $"from/f{i}.txt", Encoding.UTF8.GetBytes($"moved {i}"));
            }

            for (var i = 0; i < 50; i++)
            {
                batch.Move(new MoveFile($"from/f{i}.txt", $"to/f{i}.txt"));
            }

            result = tree.Complete(batch);
        }

        Assert.Multiple(() =>
        {
            Assert.That(result.Problems, Is.Empty);
            Assert.That(result.Applied, Is.EqualTo(100));
            Assert.That(Directory.Exists(Path.Combine(container.Path, "from")), Is.False, "the folder the moves emptied is gone");
            Assert.That(File.ReadAllText(Path.Combine(container.Path, "to/f49.txt")), Is.EqualTo("moved 49"));
        });
    }

    private static void Send(IncomingBatch batch, Dictionary<string, byte[]> expected, string path, byte[] content, int chunk = FrameStreamChunk)
    {
        expected[path] = content;
        batch.Announce(new PutFile(path, content.Length, Executable: false));
        for (var offset = 0; offset < content.Length; offset += chunk)
        {
            // Each piece in a buffer of its own, as each frame's payload is.
            batch.Write(content.AsSpan(offset, Math.Min(chunk, content.Length - offset)).ToArray());
        }
    }
}
