using System.Text.Json;
using DevSpaces.Cli.Commands;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cli;

public class ProjectCommandTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await new CliApp(stdout, stderr, dir.Path, null, dir.Path).RunAsync(args, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Test]
    public async Task Project_Check_Prints_Each_Problem_As_File_Line_Column_And_Fails()
    {
        dir.File("devspaces.yaml", "version: 1\nservice: web\nbuilt: {}\ndeploy:\n  manifests: [k8s/web.yaml]\n");
        dir.File("Dockerfile", "FROM scratch\n");

        var (code, output, _) = await RunAsync("project", "check");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(output.TrimEnd().Split('\n'), Is.EqualTo(new[]
        {
            "devspaces.yaml:3:1: error: unknown key 'built' in the file; did you mean 'build'?",
            "devspaces.yaml:5:15: error: manifest 'k8s/web.yaml' does not exist (" + Path.Combine(dir.Path, "k8s", "web.yaml") + "); give its path relative to this file",
        }));
    }

    [Test]
    public async Task Prep_Then_Project_Check_Passes_And_Json_Lists_What_Was_Written()
    {
        dir.File("package.json", "{\"name\":\"web\",\"main\":\"server.js\"}");
        dir.File("server.js", "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT);\n");

        var (prepCode, prepOutput, _) = await RunAsync("prep", "--output", "json", "--service", "web");
        var (checkCode, checkOutput, _) = await RunAsync("project", "check", "--file", "devspaces.yaml");

        var written = JsonDocument.Parse(prepOutput).RootElement.GetProperty("written").EnumerateArray().Select(e => e.GetString());
        Assert.Multiple(() =>
        {
            Assert.That(prepCode, Is.EqualTo(0));
            Assert.That(written, Is.EquivalentTo(new[] { "Dockerfile", ".dockerignore", "k8s/web.yaml", "devspaces.yaml" }));
            Assert.That((checkCode, checkOutput.Trim()), Is.EqualTo((0, "devspaces.yaml: no problems")));
        });
    }

    [Test]
    public async Task Project_Check_Without_A_File_Says_How_To_Get_One()
    {
        var (code, _, error) = await RunAsync("project", "check");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("devspaces: There is no devspaces.yaml").And.Contain("devspaces prep"));
    }
}
