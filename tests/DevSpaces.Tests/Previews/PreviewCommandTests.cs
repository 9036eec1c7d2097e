using DevSpaces.Cli.Commands;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Previews;

/// <summary>The preview verbs' command lines: what is wrong with one is said before any cluster is contacted.</summary>
public class PreviewCommandTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void MakeDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    private async Task<(int Code, string Err)> RunAsync(params string[] args)
    {
        var stderr = new StringWriter();
        var code = await new CliApp(new StringWriter(), stderr, dir.Path, Path.Combine(dir.Path, "no-kubeconfig"), dir.Path).RunAsync(args, CancellationToken.None);
        return (code, stderr.ToString());
    }

    [Test]
    public async Task Preview_Up_Without_Name_Or_Parent_Says_What_Is_Missing()
    {
        var (noName, nameError) = await RunAsync("preview", "up", "--parent", "shop");
        var (noParent, parentError) = await RunAsync("preview", "up", "--name", "pr-1");
        Assert.That((noName, noParent), Is.EqualTo((2, 2)));
        Assert.That(nameError, Does.Contain("--name is required"));
        Assert.That(parentError, Does.Contain("--parent is required"));
    }

    [Test]
    public async Task An_Image_For_A_Service_Without_Its_Folder_Is_Refused()
    {
        var folder = Path.Combine(dir.Path, "api");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(Path.Combine(folder, "k8s"));
        File.WriteAllText(Path.Combine(folder, "devspaces.yaml"), "version: 1\nservice: api\ndeploy:\n  manifests: [k8s/api.yaml]\n");
        File.WriteAllText(Path.Combine(folder, "k8s", "api.yaml"), "");
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\n");
        var (code, error) = await RunAsync("preview", "up", "--name", "pr-1", "--parent", "shop", "--service", folder, "--image", "web=registry.example/web:1");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--image names 'web', but no --service folder holds it (the folders hold: api)"));
    }

    [TestCase("web")]
    [TestCase("=img")]
    [TestCase("web=")]
    public void An_Image_That_Is_Not_Service_Equals_Reference_Is_Refused(string value) =>
        Assert.That(() => PreviewCommand.ParseImages([value]), Throws.TypeOf<UsageException>().With.Message.Contains("<service>=<image>"));

    [Test]
    public void Each_Service_Takes_One_Image() =>
        Assert.That(() => PreviewCommand.ParseImages(["web=a:1", "web=b:2"]), Throws.TypeOf<UsageException>().With.Message.Contains("twice"));

    [Test]
    public async Task Deleting_Needs_An_Age_And_The_Age_Must_Be_Readable()
    {
        var (noAge, noAgeError) = await RunAsync("preview", "list", "--delete");
        var (badAge, badAgeError) = await RunAsync("preview", "prune", "--older-than", "a week");
        Assert.That((noAge, badAge), Is.EqualTo((2, 2)));
        Assert.That(noAgeError, Does.Contain("add --older-than"));
        Assert.That(badAgeError, Does.Contain("7d, 12h, 30m or 45s, not 'a week'"));
    }
}
