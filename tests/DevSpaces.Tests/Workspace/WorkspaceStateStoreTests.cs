using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Workspace;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Workspace;

public class WorkspaceStateStoreTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    [Test]
    public void State_Is_Saved_In_The_Folders_DevSpaces_Directory_And_Read_Back()
    {
        new WorkspaceStateStore(dir.Path).Save(new WorkspaceState("ctx", "alice"));
        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(dir.Path, ".devspaces", "state.json")), Is.True);
            Assert.That(new WorkspaceStateStore(dir.Path).Load(), Is.EqualTo(new WorkspaceState("ctx", "alice")));
        });
    }

    [Test]
    public void A_Folder_Without_State_Has_No_Selection()
    {
        Assert.That(new WorkspaceStateStore(dir.Path).Load(), Is.EqualTo(WorkspaceState.Empty));
    }

    [Test]
    public void Without_A_Folder_The_State_Lives_In_Memory()
    {
        var store = new WorkspaceStateStore(null);
        store.Save(new WorkspaceState(null, "dev"));
        Assert.That(store.Load().Space, Is.EqualTo("dev"));
    }

    [Test]
    public void A_Corrupt_State_File_Is_Reported_With_Its_Path()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, ".devspaces"));
        File.WriteAllText(Path.Combine(dir.Path, ".devspaces", "state.json"), "{ not json");
        var error = Assert.Throws<DevSpacesException>(() => new WorkspaceStateStore(dir.Path).Load())!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.WorkspaceStateInvalid));
            Assert.That(error.Message, Does.Contain("state.json"));
        });
    }

    [Test]
    public void The_Workspace_Is_The_Nearest_Folder_Upwards_With_DevSpaces_State()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, ".devspaces"));
        var nested = Directory.CreateDirectory(Path.Combine(dir.Path, "src", "app")).FullName;
        Assert.That(WorkspaceLocator.Find(nested), Is.EqualTo(dir.Path));
    }
}
