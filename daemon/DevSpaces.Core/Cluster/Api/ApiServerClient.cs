using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;
using k8s.Autorest;

namespace DevSpaces.Core.Cluster.Api;

/// <summary>
/// The API server calls the daemon makes while idle (reads and watches of namespaces, services and config maps, the
/// server's version) on a plain <see cref="HttpClient"/> and source-generated JSON (<see cref="ApiJson"/>), so that
/// KubernetesClient's generated client and serializer are loaded only by the verbs that need them. Failures are the
/// exceptions KubernetesClient throws (<see cref="HttpOperationException"/> for an HTTP status,
/// <see cref="KubernetesException"/> for an error in a watch stream), so <see cref="KubernetesFailures"/> tells them alike.
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
    /// An ERROR event ends it with a <see cref="KubernetesException"/> carrying the server's status (410 when the version
    /// is too old).
    /// </summary>
    public async IAsyncEnumerable<(WatchEventType Type, T Item)> WatchAsync<T>(string path, JsonTypeInfo<T> type, [EnumeratorCancellation] CancellationToken cancellationToken)
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
    /// <exception cref="KubernetesException">An ERROR event.</exception>
    public static (WatchEventType Type, T Item)? ParseEvent<T>(string line, JsonTypeInfo<T> type)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        var parsed = JsonSerializer.Deserialize(line, ApiJson.Default.ApiWatchLine) ?? throw new JsonException("A watch event was null.");
        WatchEventType kind;
        switch (parsed.Type)
        {
            case "ADDED": kind = WatchEventType.Added; break;
            case "MODIFIED": kind = WatchEventType.Modified; break;
            case "DELETED": kind = WatchEventType.Deleted; break;
            case "BOOKMARK": kind = WatchEventType.Bookmark; break;
            case "ERROR":
                var status = parsed.Object.ValueKind == JsonValueKind.Object ? parsed.Object.Deserialize(ApiJson.Default.V1Status) : null;
                throw status == null ? new KubernetesException("The watch stream reported an error without a status.") : new KubernetesException(status);
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
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, content),
            };
        }
    }

    public void Dispose() => transport.Dispose();
}
