using System.Collections.Concurrent;
using DevSpaces.Core.Errors;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Project;
using DevSpaces.Core.Up;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.ClusterTests.Up;

/// <summary>
/// <c>up</c> of a Node.js service whose image holds node and the libraries it needs and nothing else (no shell, no
/// <c>tar</c>): the helper brought in by the init container syncs and restarts it without either.
/// </summary>
public sealed class UpShellLessImageTests
{
    private const string Dockerfile = """
        # Node.js alone on an empty image: no shell, no tar, no coreutils.
        ARG NODE_IMAGE=node:20-bookworm-slim
        FROM ${NODE_IMAGE} AS runtime

        FROM scratch
        COPY --from=runtime /usr/local/bin/node /usr/local/bin/node
        COPY --from=runtime /usr/lib/x86_64-linux-gnu/libc.so.6 /usr/lib/x86_64-linux-gnu/libdl.so.2 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libm.so.6 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libpthread.so.0 /lib/x86_64-linux-gnu/
        COPY --from=runtime /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 /lib64/
        # The folder belongs to the user the manifest runs as (no shell to chown it with).
        COPY --chown=10001:10001 package.json server.js /app/
        WORKDIR /app
        ENV PORT=8080
        CMD ["/usr/local/bin/node", "server.js"]
        """;

    [Test]
    public async Task A_Service_On_An_Image_Without_Shell_Or_Tar_Goes_Up_And_A_Saved_Change_Restarts_It_In_The_Same_Pod()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var space = await UpSpace.CreateAsync("up-bare", cts.Token);
        File.WriteAllText(Path.Combine(space.Folder, "Dockerfile"), Dockerfile);
        File.WriteAllText(Path.Combine(space.Folder, "package.json"), """{ "name": "bare", "version": "1.0.0", "main": "server.js" }""");
        WriteServer(space.Folder, "v1");
        ProjectPreparer.Prepare(space.Folder, "bare");
        var events = new ConcurrentQueue<UpEvent>();
        var request = new UpRequest(space.Folder, space.Namespace, null, true, new Dictionary<string, string> { ["NODE_IMAGE"] = "devspaces.local/node:20" });
        await using var session = await space.CreateService().StartAsync(request, events.Enqueue, cts.Token);
        var before = await UpAnswers.UntilAsync(session.Url!, "/", a => a.StartsWith("v1 ", StringComparison.Ordinal), events);

        // The container runs node, and has no shell or tar to run.
        var exec = new ServiceExec(space.Connection, new WebSocketPodPortConnector(space.Cluster.Client));
        Assert.That(await exec.RunAsync(space.Namespace, "bare", new ExecRequest(["node", "-e", "process.exit(7)"], "/app", []), Stream.Null, Stream.Null, Stream.Null, cts.Token), Is.EqualTo(7));
        foreach (var program in new[] { "sh", "bash", "tar" })
        {
            var missing = Assert.ThrowsAsync<DevSpacesException>(() => exec.RunAsync(space.Namespace, "bare", new ExecRequest([program], "/app", []), Stream.Null, Stream.Null, Stream.Null, cts.Token));
            Assert.That(missing!.Message, Does.Contain("cannot run"), $"{program} is not in the image");
        }

        var pod = session.Pod;
        WriteServer(space.Folder, "v2");
        var after = await UpAnswers.UntilAsync(session.Url!, "/", a => a.StartsWith("v2 ", StringComparison.Ordinal), events);
        Assert.That(after.Split(' ')[1], Is.Not.EqualTo(before.Split(' ')[1]), "a new process");
        Assert.That(session.Pod, Is.EqualTo(pod), "the same pod");
    }

    private static void WriteServer(string folder, string version) => File.WriteAllText(
        Path.Combine(folder, "server.js"),
        $$"""require('http').createServer((req, res) => res.end(`{{version}} ${process.pid}`)).listen(process.env.PORT || 8080);""");
}
