using System.Text.Json.Nodes;
using DevSpaces.Core.Project;
using DevSpaces.Tests.Contract;

namespace DevSpaces.Tests.Project;

/// <summary><c>schemas/devspaces.schema.json</c> and <see cref="ProjectFileReader"/> accept the same keys and values.</summary>
public class ProjectSchemaTests
{
    private JsonObject schema = null!;

    [SetUp]
    public void LoadSchema() =>
        schema = JsonNode.Parse(File.ReadAllText(RpcSchema.FindRepositoryFile("schemas/devspaces.schema.json")))!.AsObject();

    private IEnumerable<(string Shape, JsonObject Node)> SchemaObjects()
    {
        yield return ("", schema);
        foreach (var (name, definition) in schema["definitions"]!.AsObject())
        {
            if (definition!["properties"] != null)
            {
                yield return (name, definition.AsObject());
            }
        }
    }

    [Test]
    public void Every_Object_Of_The_Schema_Has_The_Keys_The_Reader_Knows()
    {
        var objects = SchemaObjects().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(objects.Select(o => o.Shape), Is.EquivalentTo(ProjectFileReader.Keys.Keys), "objects of the schema and of the reader");
            foreach (var (shape, node) in objects)
            {
                var keys = node["properties"]!.AsObject().Select(p => p.Key).ToList();
                Assert.That(keys, Is.EqualTo(ProjectFileReader.Keys.GetValueOrDefault(shape)), $"keys of '{shape}', in order");
                Assert.That(node["additionalProperties"]?.GetValue<bool>(), Is.False, $"'{shape}' must reject unknown keys, as the reader does");
            }
        });
    }

    [Test]
    public void The_Actions_Of_The_Schema_Are_The_Reader_s()
    {
        var actions = schema["definitions"]!["update"]!["properties"]!["action"]!["enum"]!.AsArray().Select(a => a!.GetValue<string>());
        Assert.That(actions, Is.EqualTo(Enum.GetValues<UpdateAction>().Select(ProjectFileReader.ActionName)));
    }

    [Test]
    public void Required_Keys_Of_The_Schema_Are_Required_By_The_Reader()
    {
        var path = Path.Combine(Path.GetTempPath(), "devspaces-schema-test", "devspaces.yaml");
        var messages = new[] { "deploy: {}\nrun: {compile: {}}\nsync: {files: [a]}\nupdates: [{}]\nforward: {}\n", "sync: {files: [a]}\n" }
            .SelectMany(text => ProjectFileReader.Read(path, text).Problems.Select(p => p.Message))
            .ToList();
        Assert.Multiple(() =>
        {
            foreach (var (shape, node) in SchemaObjects())
            {
                foreach (var required in node["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    Assert.That(messages, Has.Some.EndsWith($"needs '{required}'"), $"'{required}' of '{shape}'");
                }
            }
        });
    }

    [Test]
    public void The_Example_In_The_Reader_Tests_Sets_Every_Key_Of_The_Schema()
    {
        foreach (var (shape, node) in SchemaObjects())
        {
            foreach (var key in node["properties"]!.AsObject().Select(p => p.Key))
            {
                Assert.That(ProjectFileReaderTests.Full, Does.Contain($"{key}:"), $"'{key}' of '{shape}' is not in the example");
            }
        }
    }
}
