using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Images;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces port-forward &lt;target&gt; &lt;local&gt;:&lt;remote&gt;…</c>: forwards until Ctrl-C, printing what happens.</summary>
public static class PortForwardCommand
{
    private static readonly JsonSerializerOptions Json = RpcJson.CreateOptions();

    public static async Task<int> RunAsync(CliArguments cli, Composition app, string target, IReadOnlyList<string> ports, bool json, TextWriter stdout, CancellationToken cancellationToken)
    {
        var space = cli.Get("--space");
        var address = cli.Get("--address");
        cli.RejectUnknownOptions();
        if (ports.Count == 0)
        {
            throw new UsageException("port-forward needs at least one port, e.g. 8080:80");
        }

        var gate = new Lock();
        var printer = new CallbackProgress<PortForwardEventInfo>(e =>
        {
            lock (gate)
            {
                if (json)
                {
                    stdout.WriteLine(JsonSerializer.Serialize(e, Json));
                }
                else if (e.Kind is not (ForwardEventKind.ConnectionOpened or ForwardEventKind.ConnectionClosed))
                {
                    // Connection churn would drown the events that matter in a terminal; JSON output has it all.
                    stdout.WriteLine($"{DateTime.Now:HH:mm:ss} {e.Message}");
                }

                stdout.Flush();
            }
        });

        await using var forwards = new PortForwardHandler(app.Session, printer);
        PortForwardInfo forward;
        try
        {
            forward = await forwards.StartPortForwardAsync(target, ports, space, address, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }

        if (!json)
        {
            lock (gate)
            {
                stdout.WriteLine("Press Ctrl-C to stop.");
                stdout.Flush();
            }
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await forwards.StopPortForwardAsync(forward.Id, CancellationToken.None);
        return 0;
    }
}
