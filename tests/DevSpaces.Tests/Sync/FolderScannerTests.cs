using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Sync;

public sealed class FolderScannerTests
{
    [Test]
    public void Every_Selected_File_Is_Listed_With_The_Hash_Of_Its_Content()
    {
        using var folder = new TempDirectory();
        SyncTrees.Write(folder.Path, 20);
        folder.File("skip.log", "x");
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, ["*.log"]));
        scanner.ScanAll();

        Assert.That(scanner.Files, Has.Count.EqualTo(20));
        Assert.That(scanner.Files.ContainsKey("skip.log"), Is.False);
        Assert.That(scanner.Files["d0/e0/f0.txt"].Hash, Is.EqualTo(TreeHash.OfFile(Path.Combine(folder.Path, "d0/e0/f0.txt"))));
    }

    [Test]
    public void A_File_Whose_Size_And_Modification_Time_Are_Unchanged_Is_Not_Hashed_Again()
    {
        using var folder = new TempDirectory();
        var path = folder.File("a.txt", "first");
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, []));
        scanner.ScanAll();
        var first = scanner.Files["a.txt"].Hash;

        // Same length, same time: the fast path keeps the old hash, which shows the content was not read again.
        var time = File.GetLastWriteTimeUtc(path);
        File.WriteAllText(path, "other");
        File.SetLastWriteTimeUtc(path, time);
        scanner.ScanAll();
        Assert.That(scanner.Files["a.txt"].Hash, Is.EqualTo(first));

        File.SetLastWriteTimeUtc(path, time.AddSeconds(1));
        scanner.ScanAll();
        Assert.That(scanner.Files["a.txt"].Hash, Is.EqualTo(TreeHash.OfFile(path)).And.Not.EqualTo(first));
    }

    [Test]
    public void A_Deferred_Scan_Hashes_Only_What_Is_Asked_And_Keeps_The_Hash_A_Sender_Read()
    {
        using var folder = new TempDirectory();
        var sent = folder.File("sent.txt", "travels");
        var compared = folder.File("compared.txt", "compared");
        var left = folder.File("left.txt", "left over");
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, []));
        scanner.ScanAll(deferHashing: true);
        Assert.That(scanner.Files.Values.Select(f => f.Hash), Is.All.EqualTo(FolderScanner.NotHashed), "nothing read yet");
        Assert.That(scanner.Files["sent.txt"].Size, Is.EqualTo(7));

        scanner.HashDeferred(f => f.Path == "compared.txt");
        Assert.That(scanner.Files["compared.txt"].Hash, Is.EqualTo(TreeHash.OfFile(compared)));
        Assert.That(scanner.Files["sent.txt"].Hash, Is.EqualTo(FolderScanner.NotHashed));

        // The hash the sender computed is kept: the same size and time on the next scan do not read the file again.
        scanner.Hashed(new FileEntry("sent.txt", "hash-the-sender-read", 7, false));
        scanner.HashDeferred();
        Assert.That(scanner.Files["left.txt"].Hash, Is.EqualTo(TreeHash.OfFile(left)));
        scanner.ScanAll();
        Assert.That(scanner.Files["sent.txt"].Hash, Is.EqualTo("hash-the-sender-read"));
        Assert.That(TreeHash.OfFile(sent), Is.Not.EqualTo("hash-the-sender-read"));
    }

    [Test]
    public void A_Scan_Of_One_Folder_Drops_What_Is_Gone_There_And_Keeps_The_Rest()
    {
        using var folder = new TempDirectory();
        SyncTrees.Write(folder.Path, 14);
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, []));
        scanner.ScanAll();
        Directory.Delete(Path.Combine(folder.Path, "d1"), recursive: true);
        File.Delete(Path.Combine(folder.Path, "d2/e2/f2.txt"));
        scanner.Scan(["d1"]);

        Assert.That(scanner.Files.Keys.Any(p => p.StartsWith("d1/", StringComparison.Ordinal)), Is.False);
        Assert.That(scanner.Files.ContainsKey("d2/e2/f2.txt"), Is.True, "d2 was not rescanned");
        Assert.That(scanner.Files, Has.Count.EqualTo(12));
    }

    [Test]
    public void A_File_Over_The_Size_Limit_Is_Reported_And_Skipped()
    {
        using var folder = new TempDirectory();
        folder.File("big.bin", new string('x', 2048));
        folder.File("small.txt", "x");
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, [], maxFileSize: 1024));
        scanner.ScanAll();

        Assert.That(scanner.Files.Keys, Is.EquivalentTo(new[] { "small.txt" }));
        Assert.That(scanner.Problems.Single().Path, Is.EqualTo("big.bin"));
        Assert.That(scanner.Problems.Single().Message, Does.Contain("over the sync limit"));
        Assert.That(scanner.SkippedPaths, Does.Contain("big.bin"));
    }

    [Test]
    public void A_Symbolic_Link_Out_Of_The_Project_Is_Refused_And_One_Inside_Is_Synced_As_Its_Target()
    {
        using var outside = new TempDirectory();
        using var folder = new TempDirectory();
        var secret = outside.File("secret.txt", "not yours");
        folder.File("real.txt", "inside");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "out.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(folder.Path, "up.txt"), "../" + Path.GetFileName(outside.Path) + "/secret.txt");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "in.txt"), "real.txt");
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "outdir"), outside.Path);
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, []));
        scanner.ScanAll();

        Assert.That(scanner.Files.Keys, Is.EquivalentTo(new[] { "real.txt", "in.txt" }));
        Assert.That(scanner.Files["in.txt"].Hash, Is.EqualTo(scanner.Files["real.txt"].Hash));
        Assert.That(scanner.Problems.Select(p => p.Path), Is.EquivalentTo(new[] { "out.txt", "up.txt", "outdir" }));
        Assert.That(scanner.Problems.Single(p => p.Path == "up.txt").Message, Does.Contain("out of the project"));
    }

    [Test]
    public void A_Scan_Limited_To_A_Folder_Behind_A_Link_Reads_Nothing_Through_It()
    {
        using var outside = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(outside.Path, "sub"));
        outside.File("sub/secret.txt", "not yours");
        using var folder = new TempDirectory();
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "lib"), outside.Path);
        var scanner = new FolderScanner(folder.Path, new SyncRules(null, []));
        scanner.Scan(["lib/sub"]);
        Assert.That(scanner.Files, Is.Empty);
    }
}
