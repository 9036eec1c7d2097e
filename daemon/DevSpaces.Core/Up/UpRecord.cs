using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// What <c>up</c> changed in a space for one service, kept in a ConfigMap next to it: each object it applied, with the
/// object as it was before when <c>up</c> replaced something that was already there. <c>down</c> deletes what was
/// created and puts back what was replaced, so the space ends exactly as it was.
/// </summary>
public sealed record UpRecord(IReadOnlyList<UpRecordEntry> Objects)
{
    public const string DataKey = "objects.json";

    public static UpRecord Empty { get; } = new([]);

    public UpRecordEntry? Find(string kind, string name) => Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name);

    /// <summary>This record with <paramref name="entry"/> added, unless the object is recorded already (its first original wins).</summary>
    public UpRecord With(UpRecordEntry entry) => Find(entry.Kind, entry.Name) != null ? this : new UpRecord([.. Objects, entry]);

    public string Serialize() => JsonSerializer.Serialize(Objects.ToList(), RecordJson.Default.ListUpRecordEntry);

    public static UpRecord Parse(string? json) =>
        string.IsNullOrEmpty(json) ? Empty : new UpRecord(JsonSerializer.Deserialize(json, RecordJson.Default.ListUpRecordEntry) ?? []);

    /// <summary>An object as it can be created again: no server-set metadata, no status.</summary>
    public static string Original(IKubernetesObject<V1ObjectMeta> item)
    {
        var copy = KubernetesJson.Deserialize<JsonElement>(KubernetesJson.Serialize(item));
        var node = System.Text.Json.Nodes.JsonNode.Parse(copy.GetRawText())!.AsObject();
        node.Remove("status");
        if (node["metadata"] is System.Text.Json.Nodes.JsonObject metadata)
        {
            foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "managedFields", "generation", "selfLink" })
            {
                metadata.Remove(field);
            }
        }

        return node.ToJsonString();
    }
}

/// <param name="Kind">The object's kind (one of <see cref="ObjectKinds"/>).</param>
/// <param name="Name">The object's name.</param>
/// <param name="Original">The object as it was before <c>up</c>, as JSON; null when <c>up</c> created it.</param>
public sealed record UpRecordEntry(string Kind, string Name, string? Original);

[JsonSerializable(typeof(List<UpRecordEntry>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class RecordJson : JsonSerializerContext;
