using DevSpaces.Core.Errors;
using System.Formats.Tar;
using DevSpaces.Core.Images;

namespace DevSpaces.Tests.Images;

public class BuildContextTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("devspaces-context-").FullName;
        Write("Dockerfile", "ARG BASE=debian:bookworm\nFROM ${BASE}\nCOPY . /app\n");
        Write(".dockerignore", "bin\n**/*.log\n!keep.log\nDockerfile\n");
        Write("src/app.js", "console.log(1)");
        Write("src/debug.log", "noise");
        Write("keep.log", "kept");
        Write("bin/out.dll", "binary");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Ignored_Files_Stay_Out_But_Dockerfile_And_Exceptions_Go_In()
    {
        var context = BuildContext.Scan(_dir);
        Assert.That(context.Entries, Is.EquivalentTo(new[] { ".dockerignore", "Dockerfile", "keep.log", "src", "src/app.js" }));
    }

    [Test]
    public void The_Folder_Of_DevSpaces_State_And_Local_Build_Output_Is_Never_In_The_Context()
    {
        Write(".devspaces/build/App.dll", "compiled here");
        Write("src/.devspaces/kept.txt", "only the top-level folder is DevSpaces'");
        var before = BuildContext.Scan(_dir);
        Assert.That(before.Entries, Does.Not.Contain(".devspaces").And.Not.Contain(".devspaces/build/App.dll"));
        Assert.That(before.Entries, Does.Contain("src/.devspaces/kept.txt"));
    }

    [Test]
    public async Task The_Tar_Stream_Holds_Exactly_The_Entries_With_Their_Content()
    {
        var context = BuildContext.Scan(_dir);
        using var tar = new MemoryStream();
        await context.WriteTarAsync(tar, CancellationToken.None);
        tar.Position = 0;
        var names = new List<string>();
        string? app = null;
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimEnd('/'));
            if (entry.Name == "src/app.js")
            {
                app = new StreamReader(entry.DataStream!).ReadToEnd();
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EqualTo(context.Entries));
            Assert.That(app, Is.EqualTo("console.log(1)"));
        });
    }

    [Test]
    public void The_Hash_Changes_With_Content_And_Args_But_Not_With_Ignored_Files()
    {
        var before = BuildContext.Scan(_dir).ComputeHash(["arg:A=1"]);
        Write("bin/out.dll", "rebuilt");
        Assert.That(BuildContext.Scan(_dir).ComputeHash(["arg:A=1"]), Is.EqualTo(before), "ignored file changed the hash");
        Assert.That(BuildContext.Scan(_dir).ComputeHash(["arg:A=2"]), Is.Not.EqualTo(before), "build arg did not change the hash");
        Write("src/app.js", "console.log(2)");
        Assert.That(BuildContext.Scan(_dir).ComputeHash(["arg:A=1"]), Is.Not.EqualTo(before), "source change did not change the hash");
    }

    [Test]
    public void A_Missing_Dockerfile_Is_Reported_With_Its_Path()
    {
        var error = Assert.Throws<DevSpacesException>(() => BuildContext.Scan(_dir, "nope/Dockerfile"));
        Assert.That(error!.Message, Does.Contain(Path.Combine(_dir, "nope", "Dockerfile")));
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
