using DevSpaces.Core.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;
using DevSpaces.ClusterTests.PortForwarding;
using DevSpaces.Core.Images;

namespace DevSpaces.ClusterTests.Images;

public class ImagePipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private DockerClient _docker = null!;
    private DirectoryInfo _context = null!;
    private string _repository = "";
    private readonly List<string> _createdReferences = [];

    [SetUp]
    public void CreateContext()
    {
        _docker = DockerEngine.Connect();
        _context = Directory.CreateTempSubdirectory("devspaces-image-");
        _repository = TestCluster.UniqueName("devspaces-test/image");
        File.WriteAllText(Path.Combine(_context.FullName, "Dockerfile"), "ARG BASE=debian:bookworm-slim\nFROM ${BASE}\nCOPY payload.txt /payload.txt\nRUN test -s /payload.txt\n");
        File.WriteAllText(Path.Combine(_context.FullName, "payload.txt"), Guid.NewGuid().ToString());
        File.WriteAllText(Path.Combine(_context.FullName, ".dockerignore"), "secrets\n");
        File.WriteAllText(Path.Combine(_context.FullName, "secrets"), "not for the image");
    }

    [TearDown]
    public async Task RemoveImages()
    {
        foreach (var reference in _createdReferences.Distinct().Reverse())
        {
            try
            {
                await _docker.Images.DeleteImageAsync(reference, new ImageDeleteParameters { Force = true });
            }
            catch (DockerImageNotFoundException)
            {
            }
        }

        _context.Delete(recursive: true);
        _docker.Dispose();
    }

    [Test]
    public async Task An_Unchanged_Context_Is_Not_Rebuilt_And_A_Change_Gives_A_New_Tag()
    {
        var builder = new ImageBuilder(_docker);
        var output = new List<ImageProgress>();
        var first = await BuildAsync(builder, new CallbackProgress<ImageProgress>(output.Add));
        var second = await BuildAsync(builder, null);
        File.WriteAllText(Path.Combine(_context.FullName, "secrets"), "ignored change");
        var third = await BuildAsync(builder, null);
        File.AppendAllText(Path.Combine(_context.FullName, "payload.txt"), "!");
        var fourth = await BuildAsync(builder, null);

        Assert.Multiple(() =>
        {
            Assert.That(first.Skipped, Is.False);
            Assert.That(first.Reference, Does.Match($"^{_repository}:ds-[0-9a-f]{{12}}$"));
            Assert.That(output.Any(p => p.Kind == ImageProgressKind.BuildOutput && p.Message.Contains("COPY payload.txt")), Is.True, "build output should stream as progress");
            Assert.That(second.Skipped, Is.True);
            Assert.That(second.Reference, Is.EqualTo(first.Reference));
            Assert.That(third.Reference, Is.EqualTo(first.Reference), "an ignored file must not change the tag");
            Assert.That(fourth.Skipped, Is.False);
            Assert.That(fourth.Reference, Is.Not.EqualTo(first.Reference));
        });
    }

    [Test]
    public async Task The_Ignored_File_Is_Not_In_The_Image()
    {
        File.AppendAllText(Path.Combine(_context.FullName, "Dockerfile"), "RUN test ! -e /secrets\nCOPY . /ctx\nRUN test ! -e /ctx/secrets && test -e /ctx/payload.txt\n");
        var result = await BuildAsync(new ImageBuilder(_docker), null);
        Assert.That(result.ImageId, Does.StartWith("sha256:"));
    }

    [Test]
    public async Task A_Failing_Step_Fails_The_Build_With_The_Engine_Message()
    {
        File.AppendAllText(Path.Combine(_context.FullName, "Dockerfile"), "RUN echo about to fail && false\n");
        var error = Assert.ThrowsAsync<DevSpacesException>(() => BuildAsync(new ImageBuilder(_docker), null));
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("returned a non-zero code"));
            Assert.That(error.Hint, Does.Contain("about to fail"), "the output tail should be part of the error");
        });
    }

    [Test]
    public async Task The_Test_Cluster_Shares_This_Engine_So_Delivery_Pushes_Nothing()
    {
        using var cluster = TestCluster.Connect();
        var built = await BuildAsync(new ImageBuilder(_docker), null);
        var delivery = new ImageDelivery(_docker, cluster, new ImageDeliverySettings());
        var result = await delivery.DeliverAsync(built.Reference, null, null, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(result.Pushed, Is.False);
            Assert.That(result.Reference, Is.EqualTo(built.Reference));
        });
    }

    [Test]
    public async Task A_Pushed_Image_Can_Be_Pulled_Back_From_The_Registry()
    {
        await using var registry = await LocalRegistry.StartAsync();
        var built = await BuildAsync(new ImageBuilder(_docker), null);
        var delivery = new ImageDelivery(_docker, null, new ImageDeliverySettings { Registry = $"{registry.Address}/team", SharedEngine = false });
        var transfers = new List<ImageProgress>();
        using var cts = new CancellationTokenSource(Timeout);

        var delivered = await delivery.DeliverAsync(built.Reference, null, new CallbackProgress<ImageProgress>(transfers.Add), cts.Token);
        _createdReferences.Add(delivered.Reference);
        Assert.That(delivered.Reference, Does.StartWith($"{registry.Address}/team/"));
        Assert.That(transfers.Any(t => t.Kind == ImageProgressKind.Transfer), Is.True, "push progress should be reported");

        // Remove every local name of the image, so that only the registry can bring it back.
        await _docker.Images.DeleteImageAsync(delivered.Reference, new ImageDeleteParameters { Force = true }, cts.Token);
        await _docker.Images.DeleteImageAsync(built.Reference, new ImageDeleteParameters { Force = true }, cts.Token);
        Assert.That(await new ImageBuilder(_docker).TryGetImageIdAsync(built.ImageId, cts.Token), Is.Null, "the image should be gone locally");

        var (repository, tag) = ImageDelivery.SplitReference(delivered.Reference);
        await delivery.PullAsync(repository, tag, null, cts.Token);
        var pulled = await _docker.Images.InspectImageAsync(delivered.Reference, cts.Token);
        Assert.That(pulled.ID, Is.EqualTo(built.ImageId), "the pulled image should be the one pushed");
    }

    [Test]
    public async Task Pushing_To_A_Registry_That_Is_Not_There_Says_So()
    {
        var built = await BuildAsync(new ImageBuilder(_docker), null);
        var delivery = new ImageDelivery(_docker, null, new ImageDeliverySettings { Registry = "127.0.0.1:1/team", SharedEngine = false });
        _createdReferences.Add($"127.0.0.1:1/team/{built.Reference.Split('/').Last()}");
        var error = Assert.ThrowsAsync<DevSpacesException>(() => delivery.DeliverAsync(built.Reference, null, null, CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("could not push 127.0.0.1:1/team/"));
    }

    private async Task<ImageBuildResult> BuildAsync(ImageBuilder builder, IProgress<ImageProgress>? progress)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var result = await builder.BuildAsync(
            new ImageBuildRequest(_context.FullName, _repository) { BuildArgs = new Dictionary<string, string> { ["BASE"] = "devspaces.local/debian:bookworm" } },
            progress, cts.Token);
        _createdReferences.Add(result.Reference);
        return result;
    }
}
