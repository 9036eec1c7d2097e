using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Core.Up;
using DevSpaces.Helper.Protocol;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Up;

/// <summary>
/// Which path a compile takes: <c>dotnet build</c> first, then the C# compiler alone for edits of the sources it
/// compiled, and <c>dotnet build</c> again for anything else; javac in the warm compile server. <c>dotnet</c> here is a
/// script of the test's that writes what the build and the compiler would.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FastCompileTests
{
    private const string FakeDotNet = """
        #!/bin/sh
        case "$1" in
        build)
          for a in "$@"; do case "$a" in -p:DevSpacesCompilerCommandFile=*) f="${a#-p:DevSpacesCompilerCommandFile=}";; esac; done
          echo build >> calls.txt
          mkdir -p obj out
          if grep -q ERROR Program.cs; then echo "Program.cs(1,1): error CS1002: ; expected [App.csproj]"; exit 1; fi
          echo "built" > obj/App.dll; echo "symbols" > obj/App.pdb; cp obj/App.dll obj/App.pdb out/
          if [ -f up-to-date ]; then exit 0; fi
          printf 'project=%s\nhost=%s\ncsc=%s\n/noconfig\n/out:obj/App.dll\nProgram.cs\nLib/Greeting.cs\n' "$PWD" "$0" "$0" > "$f"
          exit 0;;
        exec)
          out=""; for a in "$@"; do case "$a" in /out:*) out="${a#/out:}";; esac; done
          case "$out" in
          obj/*) echo "csc $3" >> calls.txt;;
          *) echo "warm $3" >> calls.txt; echo "warm" > "$out"; exit 0;;
          esac
          if grep -q ERROR Program.cs; then echo "Program.cs(1,1): error CS1002: ; expected"; exit 1; fi
          if grep -q BROKEN Program.cs; then echo "error CS2001: Source file 'Gone.cs' could not be found."; exit 1; fi
          echo "compiled" > obj/App.dll; echo "new symbols" > obj/App.pdb; exit 0;;
        esac
        exit 2
        """;

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static SyncPlan Edited(params string[] paths) => new(paths.Select(p => new FileEntry(p, "h", 1, false)).ToList(), [], []);

    [Test]
    public async Task Dotnet_Build_Runs_First_Then_An_Edit_Of_Compiled_Sources_Runs_The_Csharp_Compiler_Alone_And_Its_Output_Is_Copied()
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        Assert.That(compiler.NextPath, Is.EqualTo(compiler.CommandLine), "nothing captured yet");

        var first = await RunAsync(compiler);
        Assert.That(first.Result.ExitCode, Is.EqualTo(0));
        Assert.That(first.Started, Is.EqualTo(new[] { compiler.CommandLine }));
        Assert.That(File.ReadAllText(Path.Combine(project.Path, "out", "App.dll")), Is.EqualTo("built\n"));

        compiler.Observe(Edited("Program.cs", "Lib/Greeting.cs"));
        Assert.That(compiler.NextPath, Does.Contain("C# compiler alone"));
        var second = await RunAsync(compiler);

        Assert.That(second.Result.ExitCode, Is.EqualTo(0));
        Assert.That(second.Result.Path, Does.Contain("C# compiler alone"));
        Assert.That(Calls(project), Is.EqualTo(new[] { "build", "warm -shared", "csc -shared" }), "the build is followed by a compile into a scratch folder that warms the compiler server, then the edit is compiled on it");
        Assert.That(File.ReadAllText(Path.Combine(project.Path, "out", "App.dll")), Is.EqualTo("compiled\n"), "the assembly is copied to the output folder");
        Assert.That(File.ReadAllText(Path.Combine(project.Path, "out", "App.pdb")), Is.EqualTo("new symbols\n"), "so are its symbols");
    }

    [TestCase("Added.cs", TestName = "A_New_Source_File_Runs_Dotnet_Build_Again")]
    [TestCase("App.csproj", TestName = "A_Project_File_Change_Runs_Dotnet_Build_Again")]
    [TestCase("Directory.Build.props", TestName = "A_Props_File_Change_Runs_Dotnet_Build_Again")]
    [TestCase("build/custom.targets", TestName = "A_Targets_File_Change_Runs_Dotnet_Build_Again")]
    [TestCase("Views/Index.cshtml", TestName = "A_Razor_View_Change_Runs_Dotnet_Build_Again")]
    public async Task Anything_But_An_Edit_Of_Compiled_Sources_Runs_Dotnet_Build_Again(string path)
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        await RunAsync(compiler);

        compiler.Observe(Edited(path));
        compiler.Observe(Edited("Program.cs"));

        Assert.That(compiler.NextPath, Is.EqualTo(compiler.CommandLine), "an earlier change of the same batch still counts");
        await RunAsync(compiler);
        await compiler.DisposeAsync();
        Assert.That(Calls(project), Is.EqualTo(new[] { "build", "warm -shared", "build", "warm -shared" }), "each build that compiles warms the server (disposing waits for it)");
        compiler.Observe(Edited("Program.cs"));
        Assert.That(compiler.NextPath, Does.Contain("C# compiler alone"), "after the build, edits go the fast way again");
    }

    [Test]
    public async Task A_Build_That_Did_Not_Run_The_Compiler_Keeps_The_Last_Command_And_Warms_Nothing()
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        await RunAsync(compiler);
        File.WriteAllText(Path.Combine(project.Path, "up-to-date"), "");
        compiler.Observe(Edited("App.csproj"));
        await RunAsync(compiler);

        compiler.Observe(Edited("Program.cs"));

        Assert.That(compiler.NextPath, Does.Contain("C# compiler alone"));
        await compiler.DisposeAsync();
        Assert.That(Calls(project), Is.EqualTo(new[] { "build", "warm -shared", "build" }));
    }

    [Test]
    public async Task A_Deleted_Or_Renamed_Source_Runs_Dotnet_Build_Again()
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        await RunAsync(compiler);

        compiler.Observe(new SyncPlan([], [], ["Lib/Greeting.cs"]));
        Assert.That(compiler.NextPath, Is.EqualTo(compiler.CommandLine), "deleted");
        await RunAsync(compiler);
        compiler.Observe(new SyncPlan([], [new MoveFile("Lib/Greeting.cs", "Lib/Hello.cs")], []));
        Assert.That(compiler.NextPath, Is.EqualTo(compiler.CommandLine), "renamed");
    }

    [Test]
    public async Task A_Code_Error_From_The_Csharp_Compiler_Alone_Is_Reported_Without_A_Build()
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        await RunAsync(compiler);
        File.WriteAllText(Path.Combine(project.Path, "Program.cs"), "ERROR");
        compiler.Observe(Edited("Program.cs"));

        var run = await RunAsync(compiler);

        Assert.That(run.Result.ExitCode, Is.EqualTo(1));
        Assert.That(run.Result.Path, Does.Contain("C# compiler alone"));
        Assert.That(run.Lines, Does.Contain("Program.cs(1,1): error CS1002: ; expected"), "the error is shown");
        Assert.That(Calls(project), Is.EqualTo(new[] { "build", "warm -shared", "csc -shared" }), "no build repeats it");
        Assert.That(File.ReadAllText(Path.Combine(project.Path, "out", "App.dll")), Is.EqualTo("built\n"), "the output keeps the last good assembly");
        Assert.That(compiler.NextPath, Does.Contain("C# compiler alone"), "the fix goes the fast way");
    }

    [Test]
    public async Task A_Csharp_Compiler_Failure_That_Is_Not_In_The_Code_Falls_Back_To_Dotnet_Build()
    {
        using var project = new TempDirectory();
        await using var compiler = FakeProject(project, "class P {}");
        await RunAsync(compiler);
        File.WriteAllText(Path.Combine(project.Path, "Program.cs"), "BROKEN");
        compiler.Observe(Edited("Program.cs"));

        var run = await RunAsync(compiler);

        Assert.That(run.Result.ExitCode, Is.EqualTo(0));
        Assert.That(run.Result.Path, Is.EqualTo(compiler.CommandLine));
        Assert.That(run.Started, Has.Count.EqualTo(2));
        Assert.That(run.Started[1], Does.StartWith(compiler.CommandLine).And.Contain("could not compile"), "the fallback is shown");
        await compiler.DisposeAsync();
        Assert.That(Calls(project), Is.EqualTo(new[] { "build", "warm -shared", "csc -shared", "build", "warm -shared" }));
    }

    [Test]
    public void The_Warming_Compile_Writes_Only_Into_Its_Scratch_Folder()
    {
        var command = new CSharpCompilerCommand("/src/app", "dotnet", "/sdk/csc.dll",
            ["/noconfig", "/out:obj/Release/App.dll", "/refout:obj/Release/refint/App.dll", "/pdb:obj/Release/App.pdb", "/doc:obj/App.xml", "/errorlog:obj/log.sarif", "/generatedfilesout:obj/gen", "/debug:portable", "Program.cs"]);

        var warming = command.WithOutputIn("/tmp/warm");

        Assert.That(warming, Is.EqualTo(new[] { "/noconfig", "/debug:portable", "Program.cs", "/out:/tmp/warm/App.dll" }));
        Assert.That(command.OutputSymbols, Is.EqualTo("/src/app/obj/Release/App.pdb"));
        Assert.That(command.Sources, Is.EquivalentTo(new[] { "/src/app/Program.cs" }));
    }

    [Test]
    public void Code_Errors_Are_Told_From_Errors_Of_The_Command_Line()
    {
        Assert.That(CSharpCompilerCommand.IsCodeError("/src/Program.cs(3,5): error CS1002: ; expected"), Is.True);
        Assert.That(CSharpCompilerCommand.IsCodeError("Program.cs(9,1): error CS8805: Program using top-level statements must be an executable."), Is.True);
        Assert.That(CSharpCompilerCommand.IsCodeError("error CS2001: Source file '/src/Gone.cs' could not be found."), Is.False);
        Assert.That(CSharpCompilerCommand.IsCodeError("error CS0006: Metadata file 'lib.dll' could not be found"), Is.False);
        Assert.That(CSharpCompilerCommand.IsCodeError("Program.cs(1,1): warning CS0168: The variable 'x' is declared but never used"), Is.False);
    }

    [Test]
    public async Task Javac_Runs_In_The_Warm_Compile_Server_And_Its_Errors_Are_Reported()
    {
        if (JavaCompileServerProcess.FindJava("javac") == null)
        {
            Assert.Ignore("no JDK on this machine");
        }

        using var project = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(project.Path, "src", "demo"));
        var source = Path.Combine(project.Path, "src", "demo", "Main.java");
        File.WriteAllText(source, "package demo; public class Main { public static void main(String[] a) { System.out.println(Helper.text()); } }\n");
        File.WriteAllText(Path.Combine(project.Path, "src", "demo", "Helper.java"), "package demo; class Helper { static String text() { return \"v1\"; } }\n");
        await using var compiler = new LocalCompiler(new ProjectCompile(["javac", "-J-XX:TieredStopAtLevel=1", "-g", "-d", ".devspaces/build/classes", "-sourcepath", "src", "src/demo/Main.java"], Path.Combine(project.Path, ".devspaces", "build")), project.Path);
        compiler.Warm();

        var good = await RunAsync(compiler);

        Assert.That(good.Result, Is.EqualTo(new LocalCompileResult(0, "javac in the warm compile server")), string.Join('\n', good.Lines));
        Assert.That(File.Exists(Path.Combine(project.Path, ".devspaces", "build", "classes", "demo", "Helper.class")), Is.True, "relative paths resolve in the project's folder");
        File.WriteAllText(source, "package demo; public class Main { int x = ; }\n");

        var bad = await RunAsync(compiler);

        Assert.That(bad.Result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(bad.Result.Path, Is.EqualTo("javac in the warm compile server"));
        Assert.That(bad.Lines, Has.Some.Contains("Main.java:1: error"), "javac's errors are shown");
    }

    [Test]
    public async Task Javac_Runs_As_A_Process_When_No_Java_Is_Beside_It()
    {
        using var project = new TempDirectory();
        var javac = Path.Combine(project.Path, "javac");
        File.WriteAllText(javac, "#!/bin/sh\necho compiled $@\n");
        File.SetUnixFileMode(javac, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var compiler = new LocalCompiler(new ProjectCompile([javac, "-d", "out", "A.java"], Path.Combine(project.Path, "out")), project.Path);

        var run = await RunAsync(compiler);

        Assert.That(run.Result, Is.EqualTo(new LocalCompileResult(0, compiler.CommandLine)));
        Assert.That(run.Lines, Is.EqualTo(new[] { "compiled -d out A.java" }));
    }

    private static LocalCompiler FakeProject(TempDirectory project, string program)
    {
        var tools = Path.Combine(project.Path, "tools");
        Directory.CreateDirectory(tools);
        var dotnet = Path.Combine(tools, "dotnet");
        File.WriteAllText(dotnet, FakeDotNet.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(project.Path, "Lib"));
        File.WriteAllText(Path.Combine(project.Path, "Program.cs"), program);
        File.WriteAllText(Path.Combine(project.Path, "Lib", "Greeting.cs"), "class G {}");
        return new LocalCompiler(new ProjectCompile([dotnet, "build"], Path.Combine(project.Path, "out")), project.Path);
    }

    private static async Task<(LocalCompileResult Result, List<string> Started, List<string> Lines)> RunAsync(LocalCompiler compiler)
    {
        var started = new List<string>();
        var lines = new List<string>();
        var result = await compiler.RunAsync(started.Add, line => { lock (lines) { lines.Add(line); } }, Timeout);
        return (result, started, lines);
    }

    private static string[] Calls(TempDirectory project) => File.ReadAllLines(Path.Combine(project.Path, "calls.txt"));
}
