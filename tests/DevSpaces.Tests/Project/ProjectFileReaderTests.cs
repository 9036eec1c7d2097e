using DevSpaces.Contracts;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Project;

public class ProjectFileReaderTests
{
    /// <summary>Uses every key the schema allows.</summary>
    public const string Full = """
        version: 1
        service: api
        build:
          context: .
          dockerfile: Dockerfile
          args:
            RUNTIME_IMAGE: devspaces.local/dotnet-aspnet:10.0
          image: myteam/api
        deploy:
          manifests:
            - k8s/api.yaml
          container: api
        run:
          command: [dotnet, Api.dll]
          workingDir: /app
          build: [dotnet, build]
          compile:
            command: [dotnet, build, --output, .devspaces/build]
            output: .devspaces/build
        sync:
          to: /app
          files: ["**", "!bin/**"]
          ignoreFiles: [.gitignore]
        updates:
          - files: ["wwwroot/**"]
            action: copy
          - files: ["**/*.cs"]
            action: build
          - files: ["**/*.razor"]
            action: compile
          - files: [Dockerfile]
            action: rebuild
          - files: ["appsettings.json"]
            action: restart
        forward:
          port: 8080
          localPort: 5000
        """;

    private TempDirectory folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        folder = new TempDirectory();
        folder.File("Dockerfile", "FROM scratch\n");
        Directory.CreateDirectory(Path.Combine(folder.Path, "k8s"));
        folder.File("k8s/api.yaml", "kind: Service\n");
        folder.File(".gitignore", "bin/\n");
    }

    [TearDown]
    public void RemoveFolder() => folder.Dispose();

    private ProjectFileReading Read(string text) => ProjectFileReader.Read(Path.Combine(folder.Path, ProjectFile.FileName), text);

    private static string Describe(ProjectFileReading reading) => string.Join("\n", reading.Lines("devspaces.yaml"));

    [Test]
    public void A_File_Using_Every_Key_Reads_Without_Problems_Into_The_Model()
    {
        var reading = Read(Full);
        Assert.That(reading.Problems, Is.Empty, Describe(reading));
        var file = reading.File!;
        Assert.Multiple(() =>
        {
            Assert.That(file.Service, Is.EqualTo("api"));
            Assert.That(file.Build.Context, Is.EqualTo(folder.Path));
            Assert.That(file.Build.Dockerfile, Is.EqualTo(Path.Combine(folder.Path, "Dockerfile")));
            Assert.That(file.Build.Args, Is.EqualTo(new Dictionary<string, string> { ["RUNTIME_IMAGE"] = "devspaces.local/dotnet-aspnet:10.0" }));
            Assert.That(file.Build.Image, Is.EqualTo("myteam/api"));
            Assert.That(file.Deploy.Manifests, Is.EqualTo(new[] { Path.Combine(folder.Path, "k8s", "api.yaml") }));
            Assert.That(file.Deploy.Container, Is.EqualTo("api"));
            Assert.That(file.Run.Command, Is.EqualTo(new[] { "dotnet", "Api.dll" }));
            Assert.That(file.Run.WorkingDir, Is.EqualTo("/app"));
            Assert.That(file.Run.BuildStep, Is.EqualTo(new[] { "dotnet", "build" }));
            Assert.That(file.Run.Compile, Is.EqualTo(new ProjectCompile(file.Run.Compile!.Command, Path.Combine(folder.Path, ".devspaces", "build"))));
            Assert.That(file.Run.Compile.Command, Is.EqualTo(new[] { "dotnet", "build", "--output", ".devspaces/build" }));
            Assert.That(file.Sync!.To, Is.EqualTo("/app"));
            Assert.That(file.Sync.Files.Globs, Is.EqualTo(new[] { "**", "!bin/**" }));
            Assert.That(file.Sync.IgnoreFiles, Is.EqualTo(new[] { ".gitignore" }));
            Assert.That(file.Updates.Select(u => u.Action), Is.EqualTo(new[] { UpdateAction.Copy, UpdateAction.Build, UpdateAction.Compile, UpdateAction.Rebuild, UpdateAction.Restart }));
            Assert.That(file.Forward, Is.EqualTo(new ProjectForward(8080, 5000)));
        });
    }

    [Test]
    public void Defaults_Fill_What_A_Minimal_File_Leaves_Out()
    {
        var reading = Read("version: 1\nservice: web\ndeploy:\n  manifests: [k8s/api.yaml]\n");
        Assert.That(reading.Problems, Is.Empty, Describe(reading));
        var file = reading.File!;
        Assert.Multiple(() =>
        {
            Assert.That(file.Build.Image, Is.EqualTo("web"));
            Assert.That(file.Build.Dockerfile, Is.EqualTo(Path.Combine(folder.Path, "Dockerfile")));
            Assert.That(file.Run, Is.EqualTo(ProjectRun.Image));
            Assert.That(file.Sync, Is.Null);
            Assert.That(file.Updates, Is.Empty);
            Assert.That(file.Forward, Is.Null);
        });
    }

    [Test]
    public void An_Unknown_Key_Is_Reported_At_Its_Line_And_Column_With_The_Likely_Key()
    {
        var reading = Read(Full.Replace("  dockerfile: Dockerfile", "  dockerfil: Dockerfile"));
        Assert.That(reading.File, Is.Null);
        Assert.That(reading.Problems, Has.Count.EqualTo(1), Describe(reading));
        var problem = reading.Problems[0];
        Assert.That((problem.Line, problem.Column, problem.EndLine, problem.EndColumn), Is.EqualTo((5, 3, 5, 12)));
        Assert.That(problem.Message, Does.Contain("unknown key 'dockerfil' in build").And.Contain("did you mean 'dockerfile'"));
        Assert.That(reading.Lines("devspaces.yaml").Single(), Does.StartWith("devspaces.yaml:5:3: error: unknown key"));
    }

    [Test]
    public void An_Unknown_Key_Far_From_Any_Known_One_Lists_The_Known_Keys()
    {
        var reading = Read(Full + "\nhelm: {}\n");
        Assert.That(reading.Problems.Single().Message, Does.Contain("known keys: version, service, build, deploy, run, sync, updates, forward"));
    }

    [TestCase("forward:\n  port: 8080", "forward:\n  port: \"8080\"", "forward.port must be a whole number")]
    [TestCase("forward:\n  port: 8080", "forward:\n  port: 70000", "forward.port must be between 1 and 65535")]
    [TestCase("service: api", "service: 42", "service must be text, not a number; put it in quotes")]
    [TestCase("service: api", "service: Api_1", "service 'Api_1' is not a valid name")]
    [TestCase("  container: api", "  container: [api]", "deploy.container must be text, not a list")]
    [TestCase("  command: [dotnet, Api.dll]", "  command: dotnet Api.dll", "run.command must be a list")]
    [TestCase("  workingDir: /app", "  workingDir: app", "run.workingDir 'app' must be an absolute path")]
    [TestCase("    action: copy", "    action: sync", "action 'sync' is unknown; use one of copy, restart, build, compile, rebuild")]
    [TestCase("version: 1", "version: 2", "version 2 is not known")]
    [TestCase("  image: myteam/api", "  image: myteam/api:v1", "build.image 'myteam/api:v1' is not an image repository")]
    [TestCase("    RUNTIME_IMAGE: devspaces.local/dotnet-aspnet:10.0", "    RUNTIME_IMAGE: 10", "build.args.RUNTIME_IMAGE must be text")]
    [TestCase("updates:", "updates: copy\nignored:", "updates must be a list of rules")]
    public void A_Wrong_Value_Is_Reported_With_What_Is_Expected(string original, string replacement, string expected)
    {
        Assert.That(Full, Does.Contain(original));
        var reading = Read(Full.Replace(original, replacement));
        Assert.That(reading.File, Is.Null);
        Assert.That(reading.Problems.Select(p => p.Message), Has.Some.Contains(expected), Describe(reading));
    }

    [TestCase("\"!\"", "'!' needs a glob after it")]
    [TestCase("/src/**", "without the leading '/'")]
    [TestCase("../other/**", "'..' would leave this file's folder")]
    [TestCase("src/*.{js,ts}", "braces '{a,b}' are not supported")]
    [TestCase("src/[ab.js", "'[' at position 5 is not closed")]
    public void A_Bad_Glob_Is_Reported_At_Its_Item(string glob, string expected)
    {
        var reading = Read(Full.Replace("files: [\"**\", \"!bin/**\"]", $"files:\n    - \"**\"\n    - {glob}"));
        var problem = reading.Problems.Single();
        Assert.That(problem.Message, Does.Contain(expected), Describe(reading));
        Assert.That((problem.Line, problem.Column), Is.EqualTo((24, 7)));
    }

    [Test]
    public void Missing_Files_Are_Named_At_The_Line_That_Names_Them()
    {
        var reading = Read(Full.Replace("dockerfile: Dockerfile", "dockerfile: docker/Dockerfile").Replace("- k8s/api.yaml", "- k8s/missing.yaml").Replace("context: .", "context: src"));
        Assert.That(Describe(reading), Does.Contain("devspaces.yaml:4:12: error: build.context 'src' is not a folder")
            .And.Contain("devspaces.yaml:5:15: error: build.dockerfile 'docker/Dockerfile' does not exist")
            .And.Contain("devspaces.yaml:11:7: error: manifest 'k8s/missing.yaml' does not exist"));
    }

    [Test]
    public void A_Missing_Ignore_File_Is_A_Warning_And_The_File_Stays_Usable()
    {
        var reading = Read(Full.Replace("ignoreFiles: [.gitignore]", "ignoreFiles: [.gitignore, .dockerignore]"));
        Assert.That(reading.File, Is.Not.Null);
        Assert.That(reading.Problems.Single().Severity, Is.EqualTo(ProjectFileReading.Warning));
        Assert.That(reading.Problems.Single().Message, Does.Contain("ignore file '.dockerignore' does not exist"));
    }

    [Test]
    public void A_Build_Rule_Without_A_Build_Step_Points_At_The_Action()
    {
        var reading = Read(Full.Replace("  build: [dotnet, build]\n", ""));
        var problem = reading.Problems.Single();
        Assert.That(problem.Message, Does.Contain("run.build is not set"));
        Assert.That(problem.Line, Is.EqualTo(27));
    }

    [Test]
    public void A_Compile_Rule_Without_Run_Compile_Points_At_The_Action()
    {
        var reading = Read(Full.Replace("  compile:\n    command: [dotnet, build, --output, .devspaces/build]\n    output: .devspaces/build\n", ""));
        var problem = reading.Problems.Single();
        Assert.That(problem.Message, Does.Contain("action 'compile' runs run.compile on this machine, but it is not set"));
        Assert.That(problem.Line, Is.EqualTo(27));
    }

    [Test]
    public void Run_Compile_Without_A_Sync_Section_Says_Where_Its_Output_Would_Go()
    {
        var reading = Read(Full.Replace("sync:\n  to: /app\n  files: [\"**\", \"!bin/**\"]\n  ignoreFiles: [.gitignore]\n", ""));
        var problem = reading.Problems.Single();
        Assert.That(problem.Message, Does.Contain("run.compile copies its output into sync.to, but there is no sync section"), Describe(reading));
        Assert.That((problem.Line, problem.Column), Is.EqualTo((18, 5)));
    }

    [TestCase("../out")]
    [TestCase("/tmp/out")]
    [TestCase(".")]
    public void A_Compile_Output_Outside_The_Folder_Is_Refused(string output)
    {
        var reading = Read(Full.Replace("    output: .devspaces/build", $"    output: {output}"));
        Assert.That(reading.File, Is.Null);
        Assert.That(reading.Problems.Select(p => p.Message), Has.Some.Contains($"run.compile.output '{output}' must be a folder inside this file's folder"), Describe(reading));
    }

    [TestCase("", "the file is empty")]
    [TestCase("version: 1\nservice: [", "not valid YAML")]
    [TestCase("- a\n- b\n", "the file must be a mapping")]
    [TestCase("version: 1\nversion: 1\n", "not valid YAML")]
    [TestCase("version: 1\nservice: a\ndeploy: {manifests: [k8s/api.yaml]}\n---\nkind: Service\n", "holds one document")]
    public void Malformed_Files_Are_Reported_Not_Thrown(string text, string expected)
    {
        var reading = Read(text);
        Assert.That(reading.File, Is.Null);
        Assert.That(reading.Problems.Select(p => p.Message), Has.Some.Contains(expected), Describe(reading));
        Assert.That(reading.Problems, Has.All.Matches<ProjectProblem>(p => p.Line >= 1 && p.Column >= 1));
    }

    [Test]
    public void Required_Keys_Are_Each_Reported()
    {
        var reading = Read("run:\n  workingDir: /app\nsync: {files: [a]}\nupdates:\n  - files: [a]\nforward: {}\n");
        Assert.That(reading.Problems.Select(p => p.Message), Is.SupersetOf(new[]
        {
            "the file needs 'version'", "the file needs 'service'", "the file needs 'deploy'", "sync needs 'to'",
            "an update rule needs 'action'", "forward needs 'port'",
        }), Describe(reading));
    }

    [Test]
    public void Reading_From_Disk_Uses_The_Saved_File()
    {
        var path = folder.File(ProjectFile.FileName, Full);
        var reading = ProjectFileReader.Read(path);
        Assert.That(reading.File?.Service, Is.EqualTo("api"), Describe(reading));
    }

    [Test]
    public void Globs_Select_As_The_Last_Matching_One_Says()
    {
        var globs = new GlobList(["src/**", "!src/generated/**", "src/generated/keep.js", "*.md"]);
        Assert.Multiple(() =>
        {
            Assert.That(globs.Matches("src/a/b.js"), Is.True);
            Assert.That(globs.Matches("src/generated/x.js"), Is.False);
            Assert.That(globs.Matches("src/generated/keep.js"), Is.True);
            Assert.That(globs.Matches("README.md"), Is.True);
            Assert.That(globs.Matches("docs/README.md"), Is.False);
        });
    }

    [Test]
    public void A_Read_File_Drives_The_Sync_Rules_And_Update_Decisions()
    {
        var file = Read(Full).File!;
        var updates = new GlobUpdateRules(file.Updates);
        var sync = SyncRules.ForProject(folder.Path, file.Sync!);
        Assert.Multiple(() =>
        {
            Assert.That(updates.ActionFor("wwwroot/css/site.css"), Is.EqualTo(UpdateAction.Copy));
            Assert.That(updates.ActionFor("src/Program.cs"), Is.EqualTo(UpdateAction.Build));
            Assert.That(updates.ActionFor("Dockerfile"), Is.EqualTo(UpdateAction.Rebuild));
            Assert.That(updates.ActionFor("README.md"), Is.EqualTo(UpdateAction.Restart), "no rule: the process restarts");
            Assert.That(sync.Selects("src/Program.cs"), Is.True);
            Assert.That(sync.Selects("bin/Api.dll"), Is.False, "excluded by '!bin/**' and by .gitignore");
        });
    }
}
