using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DevSpaces.Core.Watch;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The API server calls the daemon makes while idle (reads and watches of namespaces, services and config maps, the
/// server's version) on a plain <see cref="HttpClient"/> and source-generated JSON (<see cref="ApiJson"/>), so that
/// KubernetesClient (its generated client, serializer and models) is loaded only by the verbs that need it. A refusal
/// is an <see cref="ApiStatusException"/>, as is an error in a watch stream; <see cref="KubernetesFailures"/> tells them.
/// </summary>
public sealed class ApiServerClient(Uri server, IApiServerTransport transport, ApiCredentials credentials) : IDisposable
{
    /// <summary>A client for the server and user of one kubeconfig context.</summary>
    public static ApiServerClient Open(ClusterAccess access) => new(access.Server, HttpApiServerTransport.For(access), access.Credentials);

    /// <summary>The path of a watch from <paramref name="resourceVersion"/> (with bookmarks) of the collection at <paramref name="path"/>.</summary>
    public static string WatchPath(string path, string resourceVersion, int timeoutSeconds) =>
        $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={timeoutSeconds}";

    /// <summary>Reads the object or list at <paramref name="path"/> (<c>/api/v1/namespaces/x</c>, under the server URL's own path, if any).</summary>
    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false)
                   ?? throw new JsonException($"The API server answered GET {path} with null.");
        }
    }

    /// <summary>
    /// The events of the watch at <paramref name="path"/> (see <see cref="WatchPath"/>) until the server ends the stream.
    /// An ERROR event ends it with an <see cref="ApiStatusException"/> carrying the server's status (410 when the version
    /// is too old).
    /// </summary>
    public async IAsyncEnumerable<(WatchEventKind Kind, T Item)> WatchAsync<T>(string path, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (ParseEvent(line, type) is { } change)
            {
                yield return change;
            }
        }
    }

    /// <summary>One line of a watch stream; null for a blank line or an event type this client does not know.</summary>
    /// <exception cref="ApiStatusException">An ERROR event.</exception>
    public static (WatchEventKind Kind, T Item)? ParseEvent<T>(string line, JsonTypeInfo<T> type)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        var parsed = JsonSerializer.Deserialize(line, ApiJson.Default.ApiWatchLine) ?? throw new JsonException("A watch event was null.");
        WatchEventKind kind;
        switch (parsed.Type)
        {
            case "ADDED": kind = WatchEventKind.Added; break;
            case "MODIFIED": kind = WatchEventKind.Modified; break;
            case "DELETED": kind = WatchEventKind.Deleted; break;
            case "BOOKMARK": kind = WatchEventKind.Bookmark; break;
            case "ERROR":
                throw ApiStatusException.FromWatch(parsed.Object.ValueKind == JsonValueKind.Object ? parsed.Object.Deserialize(ApiJson.Default.ApiStatus) : null);
            default: return null;
        }

        var item = parsed.Object.Deserialize(type) ?? throw new JsonException($"A {parsed.Type} watch event had no object.");
        return (kind, item);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.AbsoluteUri.TrimEnd('/') + path));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Authorization = await credentials.HeaderAsync(cancellationToken).ConfigureAwait(false);
        var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new ApiStatusException(response.StatusCode, ReadStatus(content), content, $"The API server answered GET {path} with {(int)response.StatusCode} {response.StatusCode}.");
        }
    }

    /// <summary>The <see cref="ApiStatus"/> an error answer's body holds, or null when it holds something else.</summary>
    public static ApiStatus? ReadStatus(string? content)
    {
        if (string.IsNullOrWhiteSpace(content) || !content.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, ApiJson.Default.ApiStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => transport.Dispose();
}
