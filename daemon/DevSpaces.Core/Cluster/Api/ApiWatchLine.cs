using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>One line of a watch response: the event's type (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR) and its object.</summary>
public sealed record ApiWatchLine(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("object")] JsonElement Object);
