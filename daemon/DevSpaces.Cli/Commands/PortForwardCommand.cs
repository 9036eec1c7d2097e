using DevSpaces.Contracts;
using DevSpaces.Core.Images;
using DevSpaces.Core.PortForwarding;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces port-forward &lt;target&gt; &lt;local&gt;:&lt;remote&gt;…</c>: forwards until Ctrl-C, printing what happens.</summary>
/// <param name="forwardsReportingTo">The port-forward handler, reporting to the given events (built by the composition root).</param>
public sealed class PortForwardCommand(CliOutput output, Func<IProgress<PortForwardEventInfo>, PortForwardHandler> forwardsReportingTo)
{
    public async Task<int> RunAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var target = cli.Positional[1];
        var ports = cli.Positional.Skip(2).ToList();
        var space = cli.Get("--space");
        var address = cli.Get("--address");
        cli.RejectUnknownOptions();
        if (ports.Count == 0)
        {
            throw new UsageException("port-forward needs at least one port, e.g. 8080:80");
        }

        var stdout = output.Out;
        var gate = new Lock();
        var printer = new CallbackProgress<PortForwardEventInfo>(e =>
        {
            lock (gate)
            {
                if (output.Json)
                {
                    stdout.WriteLine(CliOutput.JsonLine(e));
                }
                else if (e.Kind is not (ForwardEventKind.ConnectionOpened or ForwardEventKind.ConnectionClosed))
                {
                    // Connection churn would drown the events that matter in a terminal; JSON output has it all.
                    stdout.WriteLine($"{DateTime.Now:HH:mm:ss} {e.Message}");
                }

                stdout.Flush();
            }
        });

        await using var forwards = forwardsReportingTo(printer);
        PortForwardInfo forward;
        try
        {
            forward = await forwards.StartPortForwardAsync(target, ports, space, address, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }

        if (!output.Json)
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
