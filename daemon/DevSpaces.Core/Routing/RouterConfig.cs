using System.Text.Json;

namespace DevSpaces.Core.Routing;

/// <summary>
/// What the router of one root space serves: its routed Service ports, the host its space URLs are under, and the
/// Service port the space URLs enter. Written by the daemon (ConfigMap and the router's environment), read by the router.
/// </summary>
/// <param name="Root">The root space (namespace).</param>
/// <param name="RootHost">The space URLs are <c>&lt;space&gt;.s.&lt;RootHost&gt;</c> (bundled cluster: <c>&lt;root&gt;.localhost</c>).</param>
/// <param name="Routes">The routed ports, each with the router port it arrives on.</param>
/// <param name="EntryService">The Service the space URLs lead to (null: none).</param>
/// <param name="EntryPort">The port of <paramref name="EntryService"/> they lead to.</param>
public sealed record RouterConfig(string Root, string RootHost, IReadOnlyList<RoutedPort> Routes, string? EntryService, int EntryPort)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RouterConfig FromJson(string json) =>
        JsonSerializer.Deserialize<RouterConfig>(json, Json) ?? throw new JsonException("the routes are empty");

    public static string SpacesToJson(IEnumerable<RoutedSpace> spaces) => JsonSerializer.Serialize(spaces.ToList(), Json);

    public static IReadOnlyList<RoutedSpace> SpacesFromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<RoutedSpace>>(json, Json) ?? [];

    /// <summary>The URL of <paramref name="space"/>, given the node port (or none, behind an Ingress) its host is served on.</summary>
    public string UrlOf(string space, int? nodePort) => $"http://{space}.s.{RootHost}{(nodePort is { } port ? $":{port}" : "")}/";
}
