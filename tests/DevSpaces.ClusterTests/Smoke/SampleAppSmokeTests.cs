using System.Text.Json;
using DevSpaces.ClusterTests.Support;
using k8s;

namespace DevSpaces.ClusterTests.Smoke;

/// <summary>
/// The sample app that the demo and later end-to-end tests use deploys with its own script and
/// answers end to end: front end → API → Java service, routing headers carried on every hop.
/// </summary>
[TestFixture]
public sealed class SampleAppSmokeTests
{
    private TestCluster cluster = null!;
    private string ns = null!;

    [OneTimeSetUp]
    public async Task DeploySampleApp()
    {
        cluster = await TestCluster.ConnectAsync();
        ns = $"smoke-sample-{Guid.NewGuid():N}"[..21];
        var deploy = Path.Combine(TestCluster.RepositoryRoot, "samples", "deploy");
        var result = await ScriptRunner.RunAsync(
            "bash", [deploy, "--namespace", ns, "--local-bases", "--node-port", "auto", "--timeout", "180", "--kubeconfig", cluster.KubeconfigPath],
            TimeSpan.FromMinutes(10));
        Assert.That(result.ExitCode, Is.Zero, $"samples/deploy failed:\n{result.Stdout}{result.Stderr}");
    }

    [OneTimeTearDown]
    public async Task RemoveSampleApp()
    {
        if (ns is not null)
        {
            await cluster.DeleteNamespaceAsync(ns);
        }

        cluster?.Dispose();
    }

    [Test]
    public async Task The_Front_End_Answers_With_Data_From_The_Java_Service_And_Carries_The_Routing_Headers()
    {
        var service = await cluster.Client.CoreV1.ReadNamespacedServiceAsync("frontend", ns);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{service.Spec.ClusterIP}/api/greeting");
        request.Headers.Add("devspaces-route-as", "smoke-child");
        request.Headers.Add("baggage", "devspaces.space=smoke-child");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        using var json = JsonDocument.Parse(body);
        var frontend = json.RootElement;
        var api = frontend.GetProperty("api");
        var quotes = api.GetProperty("quotes");

        Assert.Multiple(() =>
        {
            Assert.That(frontend.GetProperty("space").GetString(), Is.EqualTo(ns));
            Assert.That(quotes.GetProperty("service").GetString(), Is.EqualTo("quotes"));
            Assert.That(quotes.GetProperty("hostname").GetString(), Does.StartWith("quotes-"));
            Assert.That(quotes.GetProperty("quote").GetProperty("text").GetString(), Is.Not.Empty);
            foreach (var hop in new[] { frontend, api, quotes })
            {
                Assert.That(hop.GetProperty("routeAs").GetString(), Is.EqualTo("smoke-child"), hop.GetProperty("service").GetString());
                Assert.That(hop.GetProperty("baggage").GetString(), Does.Contain("devspaces.space=smoke-child"));
            }
        });
    }
}
