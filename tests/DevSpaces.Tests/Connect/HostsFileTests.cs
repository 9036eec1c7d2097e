using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Connect;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostsFileTests
{
    private const string Foreign = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# a comment of the admin\n10.1.2.3\tbuild-server\n";

    private static readonly HostsEntry[] Quotes = [new("127.77.3.4", ["quotes", "quotes.dev", "quotes.dev.svc", "quotes.dev.svc.cluster.local"])];

    [Test]
    public void A_Section_Is_Appended_With_Its_Owner_And_Entries_And_Foreign_Lines_Stay()
    {
        var text = HostsSections.With(Foreign, "s1", new ProcessIdentity(42, 7), "(devspaces connect api in dev)", Quotes);

        Assert.That(text, Does.StartWith(Foreign));
        Assert.That(text[Foreign.Length..], Is.EqualTo(
            "# BEGIN devspaces s1 owner=42.7 (devspaces connect api in dev)\n127.77.3.4\tquotes quotes.dev quotes.dev.svc quotes.dev.svc.cluster.local\n# END devspaces s1\n"));
    }

    [Test]
    public void Writing_The_Same_Section_Twice_Changes_Nothing_And_Removing_It_Gives_Back_The_Original()
    {
        var owner = new ProcessIdentity(42, 7);
        var once = HostsSections.With(Foreign, "s1", owner, "", Quotes);
        var twice = HostsSections.With(once, "s1", owner, "", Quotes);
        Assert.That(twice, Is.EqualTo(once));

        var removed = HostsSections.Without(twice, (s, _) => s == "s1", out var sessions);
        Assert.That(removed, Is.EqualTo(Foreign));
        Assert.That(sessions, Is.EqualTo(new[] { "s1" }));
        Assert.That(HostsSections.Without(removed, (s, _) => s == "s1", out _), Is.EqualTo(Foreign), "removing again changes nothing");
    }

    [Test]
    public void Removing_One_Session_Leaves_The_Others_And_Lines_Between_Them()
    {
        var text = HostsSections.With(Foreign, "s1", new ProcessIdentity(1, 0), "", Quotes);
        text += "192.168.1.9\tprinter\n";
        text = HostsSections.With(text, "s2", new ProcessIdentity(2, 0), "", [new HostsEntry("127.77.9.9", ["db"])]);

        var without = HostsSections.Without(text, (s, _) => s == "s1", out _);

        Assert.That(without, Is.EqualTo(Foreign + "192.168.1.9\tprinter\n# BEGIN devspaces s2 owner=2 \n127.77.9.9\tdb\n# END devspaces s2\n"));
    }

    [Test]
    public void A_Begin_Line_Without_Its_End_Is_Not_Touched()
    {
        var text = Foreign + "# BEGIN devspaces s1 owner=42\n127.77.3.4\tquotes\n10.9.9.9\tsomething-else\n";
        Assert.That(HostsSections.Without(text, (_, _) => true, out var removed), Is.EqualTo(text));
        Assert.That(removed, Is.Empty);
    }

    [Test]
    public void A_File_Without_A_Final_Newline_Gets_One_Before_The_Section()
    {
        var text = HostsSections.With("127.0.0.1 localhost", "s1", new ProcessIdentity(1, 0), "", Quotes);
        Assert.That(text, Does.StartWith("127.0.0.1 localhost\n# BEGIN devspaces s1 owner=1 \n"));
    }

    [Test]
    public async Task Stale_Sections_Of_Processes_That_Are_Gone_Are_Removed_From_The_File_And_Live_Ones_Stay()
    {
        using var folder = new TempDirectory();
        var path = folder.File("hosts", Foreign);
        var hosts = new HostsFile(path);
        var dead = await DeadProcess.IdentityAsync();
        hosts.WriteSection("crashed1", dead, "(crashed)", Quotes);
        hosts.WriteSection("alive1", ProcessIdentity.Current(), "(running)", [new HostsEntry("127.77.1.1", ["db"])]);

        var removed = hosts.RemoveStaleSections();

        Assert.That(removed, Is.EqualTo(new[] { "crashed1" }));
        var text = await File.ReadAllTextAsync(path);
        Assert.That(text, Does.StartWith(Foreign).And.Contain("# BEGIN devspaces alive1").And.Not.Contain("crashed1").And.Not.Contain("quotes"));
        Assert.That(hosts.RemoveStaleSections(), Is.Empty, "nothing more to remove");
        Assert.That(hosts.RemoveSection("alive1"), Is.True);
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo(Foreign));
        Assert.That(hosts.RemoveSection("alive1"), Is.False, "removing twice is harmless");
    }

    [Test]
    public void A_Reused_Pid_With_Another_Start_Time_Is_Not_The_Owner()
    {
        var current = ProcessIdentity.Current();
        Assume.That(current.StartTicks, Is.Not.Zero, "start times are read from /proc on Linux");
        Assert.That(current.IsAlive(), Is.True);
        Assert.That(ProcessIdentity.Parse(current.ToString()), Is.EqualTo(current));

        // PID 1 runs, but not since the start time this identity claims.
        Assert.That(new ProcessIdentity(1, 1).IsAlive(), Is.False);
    }

    [Test]
    public void Replacing_The_File_Keeps_Its_Mode()
    {
        using var folder = new TempDirectory();
        var path = folder.File("hosts", Foreign);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.UserExecute;
        File.SetUnixFileMode(path, mode);

        new HostsFile(path).WriteSection("s1", ProcessIdentity.Current(), "", Quotes);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(mode));
        Assert.That(Directory.GetFiles(folder.Path), Is.EqualTo(new[] { path }), "no temporary file is left beside it");
    }

    [Test]
    public async Task A_Bind_Mounted_Hosts_File_Cannot_Be_Renamed_Over_And_Is_Written_In_Place()
    {
        // As in containers, where /etc/hosts is a bind mount: rename(2) onto it fails with EBUSY.
        using var folder = new TempDirectory();
        var source = folder.File("hosts.source", Foreign);
        var path = folder.File("hosts", "");
        var mounted = await RunAsync("mount", "--bind", source, path);
        Assume.That(mounted, Is.Zero, "bind mounts need root");
        try
        {
            var hosts = new HostsFile(path);
            hosts.WriteSection("s1", ProcessIdentity.Current(), "", Quotes);
            Assert.That(await File.ReadAllTextAsync(source), Does.StartWith(Foreign).And.Contain("# BEGIN devspaces s1"), "the mounted file itself was written");
            Assert.That(hosts.RemoveSection("s1"), Is.True);
            Assert.That(await File.ReadAllTextAsync(source), Is.EqualTo(Foreign));
            Assert.That(Directory.GetFiles(folder.Path).Order(), Is.EqualTo(new[] { path, source }), "no temporary file is left beside it");
        }
        finally
        {
            await RunAsync("umount", path);
        }
    }

    private static async Task<int> RunAsync(string command, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [Test]
    public void A_Hosts_File_That_Is_A_Symbolic_Link_Stays_One_And_Its_Target_Is_Written()
    {
        using var folder = new TempDirectory();
        var target = folder.File("hosts.real", Foreign);
        var link = Path.Combine(folder.Path, "hosts");
        File.CreateSymbolicLink(link, target);

        new HostsFile(link).WriteSection("s1", ProcessIdentity.Current(), "", Quotes);

        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(target));
        Assert.That(File.ReadAllText(target), Does.StartWith(Foreign).And.Contain("# BEGIN devspaces s1"));
    }

    [Test]
    public void A_Hosts_File_That_Cannot_Be_Written_Fails_With_What_Where_And_How_To_Fix()
    {
        using var folder = new TempDirectory();
        var missing = Path.Combine(folder.Path, "no-such-dir", "hosts");

        var error = Assert.Throws<DevSpacesException>(() => new HostsFile(missing).CheckWritable());

        Assert.That(error!.ErrorCode, Is.EqualTo(Contracts.RpcErrorCode.ConnectLocalSetupFailed));
        Assert.That(error.Message, Does.Contain(missing).And.Contain("--hosts"));
        Assert.That(error.Hint, Does.Contain("without --hosts"));
    }

    [Test]
    public void Every_Service_Gets_A_Stable_Address_In_127_77_And_Its_Cluster_Names()
    {
        var first = LoopbackAddresses.For("dev", "quotes", 0);
        Assert.That(LoopbackAddresses.For("dev", "quotes", 0), Is.EqualTo(first));
        Assert.That(first.ToString(), Does.Match(@"^127\.77\.\d{1,3}\.\d{1,3}$"));
        Assert.That(LoopbackAddresses.For("dev", "quotes", 1), Is.Not.EqualTo(first), "the next candidate on a clash");
        Assert.That(LoopbackAddresses.For("other", "quotes", 0), Is.Not.EqualTo(first));
        Assert.That(LoopbackAddresses.NamesOf("quotes", "dev", inOwnSpace: true), Is.EqualTo(new[] { "quotes", "quotes.dev", "quotes.dev.svc", "quotes.dev.svc.cluster.local" }));
        Assert.That(LoopbackAddresses.NamesOf("auth", "team", inOwnSpace: false), Does.Not.Contain("auth"), "a parent's service is not named plainly");
    }
}
