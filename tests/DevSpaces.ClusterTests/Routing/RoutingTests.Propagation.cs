using DevSpaces.Contracts;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Core.Routing;

namespace DevSpaces.ClusterTests.Routing;

/// <summary>The propagation check: web's /drop calls api without the routing key (passing only traceparent).</summary>
public partial class RoutingTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task A_Call_That_Lost_The_Key_Is_Marked_With_The_Service_That_Must_Forward_It(bool traceparent)
    {
        var start = (await app.Routing.GetTracesAsync(root, 0, 0, null, CancellationToken.None)).Next;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{webClusterIp ??= ClusterIpOf(root, "web")}/drop");
        request.Headers.Add(RoutingNames.RouteAsHeader, a);
        if (traceparent)
        {
            request.Headers.Add("traceparent", $"00-{Guid.NewGuid():N}-00f067aa0ba902b7-01");
        }

        var body = await SendRawAsync(request);
        Assert.That(body["next"]?["space"]?.GetValue<string>(), Is.EqualTo(root), $"without the key api's baseline answers: {body}");

        HttpTrace? api = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                var batch = await app.Routing.GetTracesAsync(root, start, 5, null, CancellationToken.None);
                api = batch.Traces.FirstOrDefault(t => t.Service == "api" && t.Path == "/");
                return api is not null;
            },
            TimeSpan.FromSeconds(20),
            () => "a trace of web's call to api");
        Assert.That(api!.Source, Is.EqualTo("none"));
        Assert.That(api.KeyDropped, Is.EqualTo(new KeyDrop(a, "web", root, Exact: traceparent)));
    }

    [Test]
    public async Task A_Chain_That_Forwards_The_Key_Is_Not_Marked()
    {
        var start = (await app.Routing.GetTracesAsync(root, 0, 0, null, CancellationToken.None)).Next;
        Assert.That(await CallAsync(a, "header"), Is.EqualTo((root, a)));
        IReadOnlyList<HttpTrace> traces = [];
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                traces = (await app.Routing.GetTracesAsync(root, start, 5, null, CancellationToken.None)).Traces;
                return traces.Any(t => t.Service == "api") && traces.Any(t => t.Service == "web");
            },
            TimeSpan.FromSeconds(20),
            () => "traces of the request to web and of its call to api");
        Assert.That(traces.Where(t => t.KeyDropped is not null), Is.Empty);
    }
}
