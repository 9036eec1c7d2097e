using System.Collections.Concurrent;
using System.Net;
using DevSpaces.ClusterTests.Support;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Images;
using DevSpaces.Core.Logging;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using Docker.DotNet;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// The compiled samples (.NET and Java) through prep and up: they answer on their forwarded URL, and an edited source
/// file is compiled on this machine and reaches the running service without an image build: the app restarts in the
/// same pod.
/// </summary>
public class UpSampleTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    [TestCase("api", "Program.cs", "status = \"ok\"", "status = \"edited\"", "SDK_IMAGE=devspaces.local/dotnet-sdk:10.0", "RUNTIME_IMAGE=devspaces.local/dotnet-aspnet:10.0")]
    [TestCase("quotes", "src/io/devspaces/sample/quotes/QuotesServer.java", "health.put(\"status\", \"ok\")", "health.put(\"status\", \"edited\")", "JDK_IMAGE=devspaces.local/java:17", "JRE_IMAGE=devspaces.local/java:17")]
    public async Task A_Prepared_Sample_Answers_And_An_Edited_Source_File_Is_Compiled_Here_And_Restarted_In_The_Same_Pod(string sample, string source, string before, string after, string firstArg, string secondArg)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var cluster = await TestCluster.ConnectAsync();
        using var docker = DockerEngine.Connect();
        var loaded = new KubeconfigSource(cluster.KubeconfigPath, null, null).Load();
        using var connection = ClusterConnection.Open(loaded, loaded.CurrentContext!);
        var ns = await cluster.CreateNamespaceAsync($"up-{sample}", cts.Token);
        var folder = Path.Combine(Directory.CreateTempSubdirectory("devspaces-up-sample-").FullName, sample);
        var events = new ConcurrentQueue<UpEvent>();
        try
        {
            CopyFolder(Path.Combine(TestCluster.RepositoryRoot, "samples", sample), folder);
            var prepared = ProjectPreparer.Prepare(folder, sample);
            Assert.That(prepared.Skipped, Does.Contain("Dockerfile"), "the sample's own Dockerfile is kept");

            var builder = new ImageBuilder(docker);
            var delivery = new ImageDelivery(docker, cluster.Client, new ImageDeliverySettings());
            var settings = new UpSettings { HelperBaseImage = "devspaces.local/debian:bookworm" };
            var up = new UpService(connection, docker, builder, delivery, new HelperImage(builder, delivery, settings), new WebSocketPodPortConnector(cluster.Client), settings, new NullLog());
            var args = ImageHandler.ParseBuildArgs([firstArg, secondArg]);
            await using var session = await up.StartAsync(new UpRequest(folder, ns, null, true, args), events.Enqueue, cts.Token);

            Assert.That(await HealthAsync(session.Url!, "\"ok\"", events), Does.Contain($"\"service\""));
            var pod = session.Pod;
            var path = Path.Combine(folder, source);
            File.WriteAllText(path, File.ReadAllText(path).Replace(before, after, StringComparison.Ordinal));
            await HealthAsync(session.Url!, "\"edited\"", events);
            // The report of a restart may come after the new process answers: it waits for the app to settle.
            await ClusterWaits.ConditionAsync(() => Task.FromResult(events.Any(e => e.Kind == UpEventKind.Restarted)), TimeSpan.FromSeconds(30), () => $"a restart; events: {string.Join(" | ", events.TakeLast(20).Select(e => $"{e.Kind}: {e.Message}"))}");
            Assert.That(session.Pod, Is.EqualTo(pod), "compiled here and restarted in the same pod");
            Assert.That(events.Select(e => e.Kind), Does.Not.Contain(UpEventKind.Redeployed));
        }
        finally
        {
            await cluster.DeleteNamespaceAsync(ns);
            Directory.Delete(Path.GetDirectoryName(folder)!, true);
        }
    }

    private static async Task<string> HealthAsync(string url, string wanted, ConcurrentQueue<UpEvent> events)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        await ClusterWaits.ConditionAsync(
            async () =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(new Uri(url), "/healthz"));
                    body = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.OK && body.Contains(wanted, StringComparison.Ordinal);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromMinutes(2),
            () => $"{url}healthz answers with {wanted} (last: {body ?? "none"}); events: {string.Join(" | ", events.Where(e => e.Kind is not (UpEventKind.Build or UpEventKind.Log)).TakeLast(20).Select(e => $"{e.Kind}: {e.Message}"))}");
        return body!;
    }

    internal static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
