using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;
using DevSpaces.Tests.Sync;

namespace DevSpaces.Tests.Up;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalCompilerTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Test]
    public async Task The_Compile_Command_Runs_In_The_Project_Folder_And_Reports_Its_Lines_And_Exit_Code()
    {
        using var project = new TempDirectory();
        var compiler = new LocalCompiler(new ProjectCompile(["sh", "-c", "pwd; echo 'Program.cs(3,1): error CS1002' >&2; exit 3"], Path.Combine(project.Path, ".devspaces", "build")), project.Path);
        var lines = new List<string>();

        var started = new List<string>();

        var result = await compiler.RunAsync(started.Add, line => { lock (lines) { lines.Add(line); } }, Timeout);

        Assert.That(result.ExitCode, Is.EqualTo(3));
        Assert.That(started, Is.EqualTo(new[] { "sh -c pwd; echo 'Program.cs(3,1): error CS1002' >&2; exit 3" }), "what runs is told");
        Assert.That(lines, Is.EquivalentTo(new[] { project.Path, "Program.cs(3,1): error CS1002" }));
        Assert.That(compiler.RelativeOutput, Is.EqualTo(".devspaces/build"));
    }

    [Test]
    public async Task The_Compiler_Does_Not_Inherit_A_Descriptor_This_Process_Inherited()
    {
        // A lock the caller of the daemon holds would be held on by the compiler servers a build leaves running.
        var inherited = Dup(1);
        Assume.That(inherited, Is.GreaterThan(2));
        try
        {
            using var project = new TempDirectory();
            var compiler = new LocalCompiler(new ProjectCompile(["sh", "-c", "ls /proc/$$/fd"], Path.Combine(project.Path, "out")), project.Path);
            var lines = new List<string>();

            var result = await compiler.RunAsync(_ => { }, line => { lock (lines) { lines.Add(line); } }, Timeout);

            Assert.That(result.ExitCode, Is.EqualTo(0));
            Assert.That(string.Join(' ', lines).Split(' ', StringSplitOptions.RemoveEmptyEntries), Does.Contain("2").And.Not.Contain(inherited.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            Close(inherited);
        }
    }

#pragma warning disable SYSLIB1054
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "dup")]
    private static extern int Dup(int fd);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
#pragma warning restore SYSLIB1054

    [Test]
    public void A_Compiler_That_Is_Not_Installed_Is_Named()
    {
        using var project = new TempDirectory();
        var compiler = new LocalCompiler(new ProjectCompile(["devspaces-no-such-compiler", "build"], Path.Combine(project.Path, "out")), project.Path);

        var e = Assert.ThrowsAsync<LocalCompileUnavailableException>(() => compiler.RunAsync(_ => { }, _ => { }, Timeout));

        Assert.That(e!.Message, Does.Contain("'devspaces-no-such-compiler' cannot be started on this machine"));
    }

    [Test]
    public async Task Only_Changed_Output_Travels_And_Nothing_In_The_Container_Is_Deleted()
    {
        await using var helper = new InProcessHelper();
        helper.Container.File("App.dll", "old code");
        helper.Container.File("Lib.dll", "library");
        helper.Container.File("appsettings.json", "{\"from\":\"sync\"}");
        helper.Container.File("web.config", "published only");
        using var project = new TempDirectory();
        var output = Path.Combine(project.Path, ".devspaces", "build");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "App.dll"), "new code");
        File.WriteAllText(Path.Combine(output, "App.pdb"), "symbols");
        File.WriteAllText(Path.Combine(output, "Lib.dll"), "library");
        File.WriteAllText(Path.Combine(output, "appsettings.json"), "{\"from\":\"build\"}");
        var compiler = new LocalCompiler(new ProjectCompile(["true"], output), project.Path);
        await using var client = await helper.ConnectAsync();
        var container = (await client.ListFilesAsync(Timeout)).ToDictionary(f => f.Path, StringComparer.Ordinal);

        Func<string, bool> ownedBySync = path => path == "appsettings.json";
        var sent = await compiler.CopyChangedAsync(client, container, ownedBySync, Timeout);

        Assert.That(sent.Select(f => f.Path), Is.EqualTo(new[] { "App.dll", "App.pdb" }), "unchanged and sync-owned files stay");
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "App.dll")), Is.EqualTo("new code"));
        Assert.That(File.ReadAllText(Path.Combine(helper.Container.Path, "appsettings.json")), Is.EqualTo("{\"from\":\"sync\"}"));
        Assert.That(File.Exists(Path.Combine(helper.Container.Path, "web.config")), Is.True, "compiled output never deletes");
        Assert.That(await compiler.CopyChangedAsync(client, container, ownedBySync, Timeout), Is.Empty, "a second copy with the same output sends nothing");
    }

    [Test]
    public void The_Changed_Files_Compare_Content_And_The_Executable_Bit()
    {
        var output = new Dictionary<string, FileEntry>
        {
            ["a.dll"] = new("a.dll", "h1", 1, false),
            ["run.sh"] = new("run.sh", "h2", 1, true),
            ["same.dll"] = new("same.dll", "h3", 1, false),
        };
        var container = new Dictionary<string, FileEntry>
        {
            ["a.dll"] = new("a.dll", "h0", 1, false),
            ["run.sh"] = new("run.sh", "h2", 1, false),
            ["same.dll"] = new("same.dll", "h3", 1, false),
        };

        Assert.That(LocalCompiler.Changed(output, container, _ => false).Select(f => f.Path), Is.EqualTo(new[] { "a.dll", "run.sh" }));
    }
}
