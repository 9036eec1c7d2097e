using System.Globalization;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
using DevSpaces.Core.Workspace;

namespace DevSpaces.Cli.Commands;

/// <summary><c>devspaces routing enable|disable</c> and <c>devspaces traces</c>.</summary>
public sealed class RoutingCommand(CliOutput output, IRoutingRpc routing, WorkspaceSession session)
{
    public async Task<int> EnableAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var space = SpaceOf(cli);
        var host = cli.Get("--host");
        var entry = cli.Get("--entry");
        cli.RejectUnknownOptions();
        var info = await routing.EnableRoutingAsync(space, host, entry, cancellationToken);
        return output.Print(info, (o, r) =>
        {
            o.WriteLine($"Routing is on in '{r.Root}': the router fronts {string.Join(", ", r.Services)}{(r.Entry is null ? "" : $"; space URLs lead to '{r.Entry}'")}.");
            foreach (var url in r.Spaces)
            {
                o.WriteLine($"  {url.Space,-24} {url.Url}");
            }
        });
    }

    public async Task<int> DisableAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var space = SpaceOf(cli);
        cli.RejectUnknownOptions();
        var result = await routing.DisableRoutingAsync(space, cancellationToken);
        return output.Print(result, (o, r) => o.WriteLine($"Routing is off in '{r.Root}'; restored {(r.Restored.Count == 0 ? "no Service" : string.Join(", ", r.Restored))}."));
    }

    /// <summary>Prints the router's traces; with <c>--follow</c> keeps printing new ones until Ctrl-C (JSON: one trace per line).</summary>
    public async Task<int> TracesAsync(CliArguments cli, CancellationToken cancellationToken)
    {
        var space = SpaceOf(cli);
        var follow = cli.Has("--follow") || cli.Has("-f");
        var only = cli.Get("--only");
        cli.RejectUnknownOptions();
        long after = 0;
        do
        {
            TraceBatch batch;
            try
            {
                batch = await routing.GetTracesAsync(space, after, follow ? 25 : 0, only, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && follow)
            {
                return 0;
            }

            foreach (var trace in batch.Traces)
            {
                output.Out.WriteLine(output.Json ? CliOutput.JsonLine(trace) : Line(trace));
            }

            output.Out.Flush();
            after = batch.Next;
        }
        while (follow && !cancellationToken.IsCancellationRequested);
        return 0;
    }

    /// <summary>One trace for people: time, request, status, duration, the space asked for and the one that answered.</summary>
    public static string Line(HttpTrace t)
    {
        var time = DateTimeOffset.TryParse(t.Time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) : t.Time;
        var asked = t.Source == "none" ? "no key" : $"{t.Source} '{t.Asked}'{(t.Space is null ? " (not a space of this tree: baseline)" : "")}";
        var line = $"{time} {t.Method} {t.Service}{t.Path} {t.Status} {t.DurationMs.ToString("0.0", CultureInfo.InvariantCulture)} ms  {asked} -> {t.ServedBy}";
        return t.KeyDropped is { } d ? line + "\n" + KeyDropLine(d, t.Service) : line;
    }

    /// <summary>The propagation check's finding under a trace: which service lost the key, and how sure that is.</summary>
    public static string KeyDropLine(KeyDrop d, string service) =>
        $"  ! key for '{d.Space}' dropped: {d.Service} (the version from '{d.ServedBy}') called {service} without it; {d.Service} must forward the devspaces-route-as (or baggage) header "
        + (d.Exact ? "(exact: same traceparent trace id)" : "(best guess: no traceparent; it was serving a request for that space when this call arrived)");

    private string SpaceOf(CliArguments cli) =>
        cli.Get("--space") ?? session.State.Space ?? throw new DevSpacesException(
            RpcErrorCode.NoSpaceSelected,
            "No space is selected, and none was named.",
            "Pass --space <root space>, or select a space with 'devspaces space select <name>'.");
}
