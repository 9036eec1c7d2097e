using System.Net;
using System.Net.Http.Headers;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Watch;

namespace DevSpaces.Tests.Cluster;

/// <summary>
/// The small client of the idle daemon's reads and watches: what it asks, how it reads the answers and watch streams,
/// which errors it reports and which Authorization it sends.
/// </summary>
public class ApiServerClientTests
{
    private const string Namespaces = """
        {"kind":"NamespaceList","apiVersion":"v1","metadata":{"resourceVersion":"4711"},"items":[
          {"metadata":{"name":"team","uid":"u1","resourceVersion":"17","creationTimestamp":"2026-11-30T10:55:01Z",
            "labels":{"devspaces.io/space":"true"},
            "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"2026-11-30T10:55:01Z","fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{}}}}}]},
           "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}},
          {"metadata":{"name":"alice","resourceVersion":"18","labels":{"devspaces.io/space":"true","devspaces.io/parent":"team"},"deletionTimestamp":"2026-11-30T11:00:00.123456Z"},
           "status":{"phase":"Terminating"}}]}
        """;

    private static readonly ClusterTarget Target = new("dev", "https://api.example:6443", "alice");

    private static (ApiServerClient Client, FakeApiServerTransport Server) Client(ApiCredentials? credentials = null, string server = "https://api.example:6443")
    {
        var transport = new FakeApiServerTransport();
        return (new ApiServerClient(new Uri(server), transport, credentials ?? ApiCredentials.None), transport);
    }

    private static string Line(string type, string json) => $$$"""{"type":"{{{type}}}","object":{{{json}}}}""";

    private static string Namespace(string name, string version) => $$$"""{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"{{{name}}}","resourceVersion":"{{{version}}}"}}""";

    [Test]
    public async Task A_List_Is_Read_With_Its_Items_Labels_Phases_And_Version()
    {
        var (client, server) = Client();
        server.Answer(Namespaces);

        var list = await client.GetAsync(ApiPaths.All("namespaces", "devspaces.io/space=true"), ApiJson.Default.ApiListApiNamespace, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests.Single().Url, Is.EqualTo("https://api.example:6443/api/v1/namespaces?labelSelector=devspaces.io%2Fspace%3Dtrue"));
            Assert.That(server.Requests.Single().Accept, Is.EqualTo("application/json"));
            Assert.That(list.Metadata.ResourceVersion, Is.EqualTo("4711"));
            Assert.That(list.Items.Select(n => n.Metadata.Name), Is.EqualTo(new[] { "team", "alice" }));
            Assert.That(list.Items[1].Metadata.Labels!["devspaces.io/parent"], Is.EqualTo("team"));
            Assert.That(list.Items.Select(n => n.Status?.Phase), Is.EqualTo(new[] { "Active", "Terminating" }));
            Assert.That(list.Items.Select(n => n.Metadata.ResourceVersion), Is.EqualTo(new[] { "17", "18" }));
        });
    }

    [Test]
    public async Task A_Service_With_Named_Ports_And_A_Node_Port_Is_Read()
    {
        var (client, server) = Client();
        server.Answer("""
            {"kind":"Service","apiVersion":"v1","metadata":{"name":"devspaces-router","namespace":"team"},
             "spec":{"type":"NodePort","ports":[{"name":"http","port":80,"targetPort":8080,"nodePort":30080,"protocol":"TCP"},{"name":"admin","port":81,"targetPort":"admin"}]}}
            """);

        var service = await client.GetAsync(ApiPaths.Namespaced("team", "services", "devspaces-router"), ApiJson.Default.ApiService, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(server.Requests.Single().Url, Is.EqualTo("https://api.example:6443/api/v1/namespaces/team/services/devspaces-router"));
            Assert.That(service.Metadata.Namespace, Is.EqualTo("team"));
            Assert.That(service.Spec!.Ports![0].NodePort, Is.EqualTo(30080));
            Assert.That(service.Spec.Ports.Select(p => (p.Name, p.Port, p.NodePort)), Is.EqualTo(new (string?, int, int?)[] { ("http", 80, 30080), ("admin", 81, null) }));
        });
    }

    [Test]
    public async Task A_Server_Url_With_A_Path_Keeps_The_Path()
    {
        var (client, server) = Client(server: "https://rancher.example/k8s/clusters/c-1");
        server.Answer("""{"major":"1","minor":"20","gitVersion":"v1.20.2"}""");

        var version = await client.GetAsync(ApiPaths.Version, ApiJson.Default.ApiVersion, CancellationToken.None);

        Assert.That(server.Requests.Single().Url, Is.EqualTo("https://rancher.example/k8s/clusters/c-1/version"));
        Assert.That(version.GitVersion, Is.EqualTo("v1.20.2"));
    }

    [Test]
    public void A_Watch_Path_Asks_For_Bookmarks_From_The_Escaped_Version()
    {
        Assert.That(ApiServerClient.WatchPath(ApiPaths.All("services"), "12 3", 600),
            Is.EqualTo("/api/v1/services?watch=true&allowWatchBookmarks=true&resourceVersion=12%203&timeoutSeconds=600"));
        Assert.That(ApiServerClient.WatchPath(ApiPaths.All("namespaces", "a=b"), "7", 5), Does.StartWith("/api/v1/namespaces?labelSelector=a%3Db&watch=true"));
    }

    [Test]
    public async Task Watch_Events_Arrive_In_Order_And_Blank_Lines_And_Unknown_Types_Are_Skipped()
    {
        var (client, server) = Client();
        server.Answer(string.Join("\n",
            Line("ADDED", Namespace("a", "20")),
            "",
            Line("MODIFIED", Namespace("a", "21")),
            Line("SOMETHING-NEW", Namespace("x", "22")),
            Line("BOOKMARK", """{"kind":"Namespace","apiVersion":"v1","metadata":{"resourceVersion":"23"}}"""),
            Line("DELETED", Namespace("a", "24"))) + "\n");

        var seen = new List<string>();
        await foreach (var (type, ns) in client.WatchAsync(ApiServerClient.WatchPath(ApiPaths.All("namespaces"), "19", 60), ApiJson.Default.ApiNamespace, CancellationToken.None))
        {
            seen.Add($"{type} {ns.Metadata.Name} {ns.Metadata.ResourceVersion}");
        }

        Assert.That(seen, Is.EqualTo(new[] { "Added a 20", "Modified a 21", "Bookmark  23", "Deleted a 24" }));
    }

    [Test]
    public void An_Error_Event_Of_410_Ends_The_Watch_As_Too_Old_To_Resume()
    {
        var (client, server) = Client();
        server.Answer(Line("ADDED", Namespace("a", "20")) + "\n" +
                      Line("ERROR", """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 19 (25)","reason":"Expired","code":410}""") + "\n");

        var expired = Assert.ThrowsAsync<WatchExpiredException>(() => DrainAsync(Source(client), "19"));

        Assert.That(expired!.ResourceVersion, Is.EqualTo("19"));
    }

    [Test]
    public void A_410_Answer_To_The_Watch_Request_Ends_It_As_Too_Old_To_Resume()
    {
        var (client, server) = Client();
        server.Answer("""{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Gone","code":410}""", HttpStatusCode.Gone);

        Assert.ThrowsAsync<WatchExpiredException>(() => DrainAsync(Source(client), "19"));
    }

    [Test]
    public void Another_Error_Event_Ends_The_Watch_With_The_Servers_Status()
    {
        var (client, server) = Client();
        server.Answer(Line("ERROR", """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd is unhappy","reason":"InternalError","code":500}""") + "\n");

        var error = Assert.ThrowsAsync<ApiStatusException>(() => DrainAsync(Source(client), "19"));

        Assert.That(error!.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(error.Status?.Reason, Is.EqualTo("InternalError"));
        Assert.That(error.Message, Does.Contain("etcd is unhappy"));
    }

    [Test]
    public void A_Refused_Read_Becomes_The_Rbac_Error_With_The_Servers_Words()
    {
        var (client, server) = Client();
        server.Answer("""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"namespaces is forbidden: User \"alice\" cannot list resource \"namespaces\"","reason":"Forbidden","code":403}""", HttpStatusCode.Forbidden);

        var refused = Assert.ThrowsAsync<ApiStatusException>(() => client.GetAsync(ApiPaths.All("namespaces"), ApiJson.Default.ApiListApiNamespace, CancellationToken.None));
        var error = KubernetesFailures.Translate(refused!, new ClusterOperation("list", "namespaces"), Target);

        Assert.Multiple(() =>
        {
            Assert.That(refused!.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.Forbidden));
            Assert.That(error.Detail, Does.Contain("cannot list resource \"namespaces\""));
        });
    }

    [Test]
    public void A_Header_Source_Is_Asked_On_Every_Request()
    {
        var calls = 0;
        var (client, server) = Client(ApiCredentials.From(_ => Task.FromResult<AuthenticationHeaderValue?>(new("Bearer", $"plugin-{Interlocked.Increment(ref calls)}"))));
        server.Answer("""{"gitVersion":"v1"}""").Answer("""{"gitVersion":"v1"}""");

        Assert.DoesNotThrowAsync(async () =>
        {
            await client.GetAsync(ApiPaths.Version, ApiJson.Default.ApiVersion, CancellationToken.None);
            await client.GetAsync(ApiPaths.Version, ApiJson.Default.ApiVersion, CancellationToken.None);
        });

        Assert.That(server.Requests.Select(r => r.Authorization), Is.EqualTo(new[] { "Bearer plugin-1", "Bearer plugin-2" }));
    }

    [Test]
    public void A_Cluster_Entry_Without_Certificate_Authorities_Is_Reached_With_The_Systems_Trust_And_Its_Failure_Names_The_Server()
    {
        // A cluster entry with only a server and a token (kubectl config set-cluster --server=…): nothing listens on port 1.
        var access = new ClusterAccess(new Uri("https://127.0.0.1:1"), null, false, null, null, null, ApiCredentials.Bearer("not-a-real-token"));
        using var transport = HttpApiServerTransport.For(access);
        var client = new ApiServerClient(access.Server, transport, access.Credentials);

        var failure = Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/version", ApiJson.Default.ApiVersion, CancellationToken.None));
        Assert.That(failure!.Message, Does.Contain("127.0.0.1:1"));
    }

    private static ApiWatchSource<ApiNamespace> Source(ApiServerClient client) => new(
        _ => throw new NotSupportedException("listing is not part of these tests"),
        () => client,
        ApiPaths.All("namespaces"),
        ApiJson.Default.ApiNamespace,
        60);

    private static async Task DrainAsync(IWatchSource<ApiNamespace> source, string version)
    {
        await foreach (var _ in source.WatchAsync(version, CancellationToken.None))
        {
        }
    }
}
