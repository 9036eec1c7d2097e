using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Errors;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cluster;

public class KubeconfigSourceTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    [Test]
    public void A_Missing_Kubeconfig_Says_Where_It_Looked_And_How_To_Fix_It()
    {
        var source = new KubeconfigSource(null, null, dir.Path);
        var error = Assert.Throws<DevSpacesException>(() => source.Load())!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.KubeconfigNotFound));
            Assert.That(error.Message, Does.Contain(Path.Combine(dir.Path, ".kube", "config")));
            Assert.That(error.Hint, Does.Contain("KUBECONFIG"));
        });
    }

    [Test]
    public void The_Kubeconfig_Option_Wins_Over_The_Environment()
    {
        var explicitFile = Kubeconfigs.Unreachable(dir, "explicit");
        var source = new KubeconfigSource(explicitFile, "/does/not/exist", dir.Path);
        Assert.That(source.Load().CurrentContext, Is.EqualTo("explicit"));
    }

    [Test]
    public void KUBECONFIG_Files_Are_Merged_In_Order_And_Missing_Ones_Skipped()
    {
        var first = Kubeconfigs.Unreachable(dir, "first", "first");
        var second = dir.File("second", File.ReadAllText(Kubeconfigs.Unreachable(dir, "second", "second-source")).Replace("name: other", "name: extra"));
        var source = new KubeconfigSource(null, string.Join(Path.PathSeparator, "/missing/config", first, second), dir.Path);
        var loaded = source.Load();
        Assert.Multiple(() =>
        {
            Assert.That(loaded.CurrentContext, Is.EqualTo("first"), "the first file's current-context wins");
            Assert.That(loaded.Contexts.Select(c => c.Name), Is.EquivalentTo(new[] { "first", "other", "second", "extra" }));
            Assert.That(loaded.Files, Is.EqualTo(new[] { first, second }));
        });
    }

    [Test]
    public void An_Unreadable_Kubeconfig_Is_Reported_With_The_Parser_Message()
    {
        var file = dir.File("broken", "apiVersion: v1\nclusters: [ {\n");
        var error = Assert.Throws<DevSpacesException>(() => new KubeconfigSource(file, null, null).Load())!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.KubeconfigInvalid));
            Assert.That(error.Message, Does.Contain(file));
            Assert.That(error.Detail, Is.Not.Empty);
        });
    }

    [Test]
    public void An_Unknown_Context_Lists_The_Known_Ones()
    {
        var loaded = new KubeconfigSource(Kubeconfigs.Unreachable(dir), null, null).Load();
        var error = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(loaded, "prod"))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ContextNotFound));
            Assert.That(error.Hint, Does.Contain("nowhere").And.Contain("other"));
        });
    }
}
