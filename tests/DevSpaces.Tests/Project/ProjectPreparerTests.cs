using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Tests.Contract;
using DevSpaces.Tests.Support;
using k8s;
using k8s.Models;

namespace DevSpaces.Tests.Project;

public class ProjectPreparerTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    /// <summary>Copies <c>samples/&lt;service&gt;</c> into the temporary folder, without the files named in <paramref name="without"/>.</summary>
    private string CopySample(string service, params string[] without)
    {
        var source = Path.GetDirectoryName(RpcSchema.FindRepositoryFile($"samples/{service}/Dockerfile"))!;
        var target = Path.Combine(dir.Path, service);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (without.Contains(relative) || relative.Split('/')[0] is "bin" or "obj")
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        return target;
    }

    private static void AssertValid(ProjectPrepResult result)
    {
        var reading = ProjectFileReader.Read(Path.Combine(result.Folder, ProjectFile.FileName));
        Assert.That(reading.Problems, Is.Empty, string.Join("\n", reading.Lines("devspaces.yaml")));
        Assert.That(reading.File!.Service, Is.EqualTo(result.Service));
    }

    [TestCase("frontend", "node")]
    [TestCase("api", "dotnet")]
    [TestCase("quotes", "java")]
    public void Prep_Of_A_Sample_Service_Keeps_Its_Dockerfile_And_Writes_A_Valid_DevSpaces_Yaml(string service, string runtime)
    {
        var folder = CopySample(service);
        var dockerfile = File.ReadAllText(Path.Combine(folder, "Dockerfile"));

        var result = ProjectPreparer.Prepare(folder);

        Assert.Multiple(() =>
        {
            Assert.That((result.Runtime, result.Service), Is.EqualTo((runtime, service)));
            Assert.That(result.Written, Is.EquivalentTo(new[] { $"k8s/{service}.yaml", "devspaces.yaml" }));
            Assert.That(result.Skipped, Is.EquivalentTo(new[] { "Dockerfile", ".dockerignore" }));
            Assert.That(File.ReadAllText(Path.Combine(folder, "Dockerfile")), Is.EqualTo(dockerfile), "the user's Dockerfile is untouched");
        });
        AssertValid(result);
    }

    [TestCase("api", new[] { "dotnet", "build", "DevSpacesSample.Api.csproj", "--configuration", "Release", "--output", ".devspaces/build", "--nologo", "--verbosity", "quiet", "-p:UseAppHost=false", "-p:UseSharedCompilation=true" })]
    [TestCase("quotes", new[] { "javac", "-J-XX:TieredStopAtLevel=1", "-g", "--release", "17", "-d", ".devspaces/build/classes", "-sourcepath", "src", "src/io/devspaces/sample/quotes/QuotesServer.java" })]
    public void Compiled_Samples_Compile_Code_Changes_On_This_Machine_Into_The_Synced_Folder(string service, string[] command)
    {
        var folder = CopySample(service);

        var file = ProjectFileReader.Read(Path.Combine(ProjectPreparer.Prepare(folder).Folder, ProjectFile.FileName)).File!;

        Assert.That(file.Run.Compile, Is.Not.Null);
        Assert.That(file.Run.Compile!.Command, Is.EqualTo(command));
        Assert.That(file.Run.Compile.Output, Is.EqualTo(Path.Combine(folder, ".devspaces", "build")));
        Assert.That(file.Sync!.To, Is.EqualTo("/app"));
        var updates = new GlobUpdateRules(file.Updates);
        Assert.That(updates.ActionFor(service == "api" ? "Program.cs" : "src/io/devspaces/sample/quotes/QuotesServer.java"), Is.EqualTo(UpdateAction.Compile));
        Assert.That(updates.ActionFor("Dockerfile"), Is.EqualTo(UpdateAction.Rebuild));
    }

    [TestCase("frontend", "ARG NODE_IMAGE=node:20-bookworm-slim", "CMD [\"node\", \"server.js\"]")]
    [TestCase("api", "ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0", "COPY DevSpacesSample.Api.csproj Directory.Build.props ./")]
    [TestCase("quotes", "ARG JDK_IMAGE=eclipse-temurin:17-jdk", "--main-class io.devspaces.sample.quotes.QuotesServer")]
    public void Without_A_Dockerfile_Prep_Writes_One_Taking_Its_Base_Images_As_Build_Args(string service, string arg, string detail)
    {
        var folder = CopySample(service, "Dockerfile", ".dockerignore");

        var result = ProjectPreparer.Prepare(folder);

        Assert.That(result.Written, Is.EquivalentTo(new[] { "Dockerfile", ".dockerignore", $"k8s/{service}.yaml", "devspaces.yaml" }));
        Assert.That(result.Skipped, Is.Empty);
        var dockerfile = File.ReadAllText(Path.Combine(folder, "Dockerfile"));
        Assert.That(dockerfile, Does.Contain(arg).And.Contain(detail).And.Contain("USER 10001:10001"));
        AssertValid(result);
        Assert.That(result.Notes, Has.Some.Contains("devspaces.local/"), "says which build args the bundled cluster needs");
    }

    [Test]
    public void A_Second_Prep_Overwrites_Nothing_And_Reports_Every_File_As_Kept()
    {
        var folder = CopySample("frontend", "Dockerfile", ".dockerignore");
        ProjectPreparer.Prepare(folder);
        File.WriteAllText(Path.Combine(folder, "devspaces.yaml"), "# mine\n");

        var second = ProjectPreparer.Prepare(folder);

        Assert.That(second.Written, Is.Empty);
        Assert.That(second.Skipped, Is.EquivalentTo(new[] { "Dockerfile", ".dockerignore", "k8s/frontend.yaml", "devspaces.yaml" }));
        Assert.That(File.ReadAllText(Path.Combine(folder, "devspaces.yaml")), Is.EqualTo("# mine\n"));
    }

    [Test]
    public void The_Manifests_Are_A_Deployment_And_A_Service_That_Selects_Its_Pods()
    {
        var folder = CopySample("frontend");
        ProjectPreparer.Prepare(folder, "web");

        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(folder, "k8s", "web.yaml")));

        var deployment = objects.OfType<V1Deployment>().Single();
        var service = objects.OfType<V1Service>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Multiple(() =>
        {
            Assert.That(deployment.Metadata.Name, Is.EqualTo("web"));
            Assert.That(service.Spec.Selector, Is.EqualTo(deployment.Spec.Template.Metadata.Labels));
            Assert.That(container.Image, Is.EqualTo("web"));
            Assert.That(container.Ports.Single().ContainerPort, Is.EqualTo(8080));
            Assert.That(service.Spec.Ports.Single().TargetPort.Value, Is.EqualTo(container.Ports.Single().Name));
            Assert.That(deployment.Spec.Template.Spec.SecurityContext.RunAsNonRoot, Is.True);
        });
    }

    [Test]
    public void An_Existing_Dockerfile_Decides_The_Build_Args_And_Port()
    {
        var folder = CopySample("frontend", "Dockerfile");
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "ARG BASE=node:22\nFROM ${BASE}\nEXPOSE 3000\n");

        var result = ProjectPreparer.Prepare(folder);

        var file = ProjectFileReader.Read(Path.Combine(folder, ProjectFile.FileName)).File!;
        Assert.That(file.Build.Args, Is.Empty, "NODE_IMAGE is not an ARG of that Dockerfile");
        Assert.That(file.Forward!.Port, Is.EqualTo(3000));
        Assert.That(File.ReadAllText(Path.Combine(folder, "k8s", "frontend.yaml")), Does.Contain("containerPort: 3000"));
        Assert.That(result.Notes, Has.Some.Contains("existing Dockerfile is kept"));
    }

    [Test]
    public void Maven_And_Gradle_Projects_Build_With_Their_Tool_And_Java_Version()
    {
        var maven = Directory.CreateDirectory(Path.Combine(dir.Path, "orders")).FullName;
        File.WriteAllText(Path.Combine(maven, "pom.xml"), "<project><properties><maven.compiler.release>21</maven.compiler.release></properties></project>");
        var gradle = Directory.CreateDirectory(Path.Combine(dir.Path, "billing")).FullName;
        File.WriteAllText(Path.Combine(gradle, "build.gradle.kts"), "java { toolchain { languageVersion = JavaLanguageVersion.of(17) } }");

        ProjectPreparer.Prepare(maven);
        ProjectPreparer.Prepare(gradle);

        Assert.That(File.ReadAllText(Path.Combine(maven, "Dockerfile")), Does.Contain("ARG BUILD_IMAGE=maven:3-eclipse-temurin-21").And.Contain("mvn --batch-mode"));
        Assert.That(File.ReadAllText(Path.Combine(gradle, "Dockerfile")), Does.Contain("ARG BUILD_IMAGE=gradle:8-jdk17").And.Contain("gradle --no-daemon"));
    }

    [Test]
    public void A_Generic_Folder_Name_Gives_Way_To_The_Project_s_Name()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "src")).FullName;
        File.WriteAllText(Path.Combine(folder, "Shop.Api.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>");

        var result = ProjectPreparer.Prepare(folder);

        Assert.That(result.Service, Is.EqualTo("shop-api"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "Dockerfile")), Does.Contain("mcr.microsoft.com/dotnet/aspnet:8.0").And.Contain("\"Shop.Api.dll\""));
        AssertValid(result);
    }

    [Test]
    public void A_Folder_Without_A_Project_Is_Reported_With_What_Was_Looked_For()
    {
        File.WriteAllText(Path.Combine(dir.Path, "README.md"), "hello");
        var error = Assert.Throws<DevSpacesException>(() => ProjectPreparer.Prepare(dir.Path));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.ProjectNotDetected));
        Assert.That(error.Message, Does.Contain("*.csproj, package.json, pom.xml, build.gradle"));
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1), "nothing written");
    }

    [Test]
    public void An_Invalid_Service_Name_Is_Refused_Before_Anything_Is_Written()
    {
        var folder = CopySample("frontend", "Dockerfile", ".dockerignore");
        var error = Assert.Throws<DevSpacesException>(() => ProjectPreparer.Prepare(folder, "Web_1"));
        Assert.That(error!.ErrorCode, Is.EqualTo(RpcErrorCode.InvalidName));
        Assert.That(File.Exists(Path.Combine(folder, "Dockerfile")), Is.False);
    }
}
