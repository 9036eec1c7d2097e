using DevSpaces.ClusterTests.Support;
using DevSpaces.Tests.Support;

namespace DevSpaces.ClusterTests.Harness;

/// <summary>
/// The harness takes the Debian mirror (for debootstrap and the deb-src entry of the Kubernetes
/// source) from the machine's apt configuration, whatever its host name and format. Each test
/// gives apt a configuration of its own through <c>APT_CONFIG</c>; the machine's is not touched.
/// </summary>
[TestFixture]
public sealed class AptMirrorTests
{
    private static readonly string Common = Path.Combine(TestCluster.RepositoryRoot, "tests", "cluster", "lib", "common.sh");

    private const string Deb822 = """
        # A paragraph of comments only is not a stanza.

        Types: deb
        URIs: http://security.mirror.test/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        types: deb
        # field names in any case, several suites
        uris: http://mirror.test/debian
        suites: bookworm bookworm-updates
        components: main contrib
        signed-by: /usr/share/keyrings/debian-archive-keyring.gpg
        """;

    private const string OneLine = """
        deb http://security.mirror.test/debian-security bookworm-security main

        # the release itself
        deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.test/debian bookworm main contrib
        """;

    [TestCase("mirror.sources", Deb822)]
    [TestCase("mirror.list", OneLine)]
    public async Task The_Mirror_Is_The_One_Apt_Takes_The_Release_From(string file, string sources)
    {
        using var apt = new AptConfiguration(file, sources);

        var (exitCode, stdout, stderr) = await apt.RunAsync("debian_mirror bookworm");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo("http://mirror.test/debian"));
    }

    [TestCase("mirror.sources", Deb822, "devspaces-src.sources")]
    [TestCase("mirror.list", OneLine, "devspaces-src.list")]
    public async Task The_Deb_Src_Entry_Is_Made_From_The_Releases_Entry_And_Apt_Reads_Both(string file, string sources, string written)
    {
        using var apt = new AptConfiguration(file, sources);

        var (exitCode, stdout, stderr) = await apt.RunAsync($"write_deb_src_entry bookworm {apt.Parts}");
        // apt refuses the whole configuration when two entries of one mirror and suite disagree on Signed-By.
        var targets = await apt.RunAsync("apt-get indextargets --no-release-info --format '$(CREATED_BY) $(REPO_URI) $(RELEASE)' | sort -u");

        Assert.That(exitCode, Is.Zero, stderr);
        Assert.That(stdout.Trim(), Is.EqualTo(Path.Combine(apt.Parts, written)));
        Assert.That(targets.ExitCode, Is.Zero, targets.Stderr);
        Assert.That(targets.Stderr, Does.Not.Contain("E:"));
        Assert.That(targets.Stdout, Does.Contain("Sources http://mirror.test/debian/ bookworm\n"));
        Assert.That(targets.Stdout, Does.Not.Contain("Sources http://mirror.test/debian/ bookworm-updates"), "only the release's sources are needed");
        Assert.That(targets.Stdout, Does.Not.Contain("Sources http://security.mirror.test"));
    }

    [Test]
    public async Task Without_A_Source_For_The_Release_Nothing_Is_Written_And_The_Call_Fails()
    {
        using var apt = new AptConfiguration("mirror.list", "deb http://mirror.test/debian trixie main\n");

        var mirror = await apt.RunAsync("debian_mirror bookworm");
        var written = await apt.RunAsync($"write_deb_src_entry bookworm {apt.Parts}");

        Assert.That(mirror.ExitCode, Is.Not.Zero);
        Assert.That(written.ExitCode, Is.Not.Zero);
        Assert.That(Directory.GetFiles(apt.Parts), Has.Length.EqualTo(1), "only the test's own sources file");
    }

    /// <summary>An apt configuration in a temporary folder: one sources file, empty lists.</summary>
    private sealed class AptConfiguration : IDisposable
    {
        private readonly TempDirectory folder = new();
        private readonly string config;

        public AptConfiguration(string file, string sources)
        {
            Parts = Path.Combine(folder.Path, "sources.list.d");
            var lists = Path.Combine(folder.Path, "lists");
            Directory.CreateDirectory(Parts);
            Directory.CreateDirectory(Path.Combine(lists, "partial"));
            File.WriteAllText(Path.Combine(Parts, file), sources + "\n");
            config = folder.File("apt.conf", $"""
                Dir::Etc::sourcelist "{Path.Combine(folder.Path, "sources.list")}";
                Dir::Etc::sourceparts "{Parts}";
                Dir::State::lists "{lists}";
                """);
        }

        public string Parts { get; }

        public Task<ScriptRunner.Result> RunAsync(string script) =>
            ScriptRunner.RunAsync("env", [$"APT_CONFIG={config}", "bash", "-c", $"source {Common} && {script}"], TimeSpan.FromSeconds(30));

        public void Dispose() => folder.Dispose();
    }
}
