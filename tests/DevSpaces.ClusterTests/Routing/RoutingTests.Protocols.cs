using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using DevSpaces.Core.Routing;

namespace DevSpaces.ClusterTests.Routing;

/// <summary>HTTP/2 without TLS (api's port 81, appProtocol h2c, as gRPC speaks it) and WebSockets are routed by key.</summary>
public partial class RoutingTests
{
    private static IEnumerable<string?> Keys(RoutingTests t) => [null, t.a, t.ax, t.b];

    [Test]
    public async Task Http2_Without_Tls_Is_Routed_By_Key()
    {
        using var h2 = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(20) };
        var api = ClusterIpOf(root, "api");
        foreach (var key in Keys(this))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{api}:81/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            if (key is not null)
            {
                request.Headers.Add(RoutingNames.RouteAsHeader, key);
            }

            using var response = await h2.SendAsync(request);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.That((response.Version, body["protocol"]?.GetValue<string>()), Is.EqualTo((HttpVersion.Version20, "HTTP/2.0")), "HTTP/2 both ways");
            Assert.That(body["space"]?.GetValue<string>(), Is.EqualTo(Expected(key).Api), $"key {key ?? "(none)"}");
        }
    }

    [Test]
    public async Task WebSockets_Are_Routed_By_Key()
    {
        var api = ClusterIpOf(root, "api");
        foreach (var key in Keys(this))
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var socket = new ClientWebSocket();
            socket.Options.Proxy = null;
            if (key is not null)
            {
                socket.Options.SetRequestHeader(RoutingNames.RouteAsHeader, key);
            }

            await socket.ConnectAsync(new Uri($"ws://{api}/ws"), cts.Token);
            var buffer = new byte[4096];
            var received = await socket.ReceiveAsync(buffer, cts.Token);
            Assert.That(received.MessageType, Is.EqualTo(WebSocketMessageType.Text));
            var body = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, received.Count))!;
            Assert.That(body["space"]?.GetValue<string>(), Is.EqualTo(Expected(key).Api), $"key {key ?? "(none)"}");
        }
    }
}
