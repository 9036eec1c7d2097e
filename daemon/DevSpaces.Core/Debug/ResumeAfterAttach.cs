using System.Text.Json;

namespace DevSpaces.Core.Debug;

/// <summary>
/// Watches the exchange between an editor and a .NET debugger that <c>devspaces exec</c> carries: the pid of the
/// <c>attach</c> request, then the debugger's successful answer to <c>configurationDone</c> (breakpoints are set), at
/// which point <paramref name="resume"/> lets the runtime run if it waits at start-up (<c>up --debug --stop-on-entry</c>).
/// It resumes once; a failure is reported through <paramref name="report"/>, never to the exchange.
/// </summary>
public sealed class ResumeAfterAttach(Func<int, CancellationToken, Task> resume, Action<string> report)
{
    private int? pid;
    private Task? resuming;

    /// <summary>The editor's side: requests.</summary>
    public Stream WatchRequests(Stream input) => new TappedStream(input, new DapTap(OnRequest));

    /// <summary>The debugger's side: responses and events.</summary>
    public Stream WatchResponses(Stream output) => new TappedStream(output, new DapTap(OnResponse));

    /// <summary>The resume, if it started; completes at once otherwise.</summary>
    public Task Completion => resuming ?? Task.CompletedTask;

    private void OnRequest(JsonElement message)
    {
        if (Is(message, "type", "request") && Is(message, "command", "attach")
            && message.TryGetProperty("arguments", out var arguments) && arguments.ValueKind == JsonValueKind.Object
            && arguments.TryGetProperty("processId", out var id))
        {
            pid = id.ValueKind switch
            {
                JsonValueKind.Number when id.TryGetInt32(out var number) => number,
                JsonValueKind.String when int.TryParse(id.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var text) => text,
                _ => null,
            };
        }
    }

    private void OnResponse(JsonElement message)
    {
        if (resuming == null && pid is { } target && Is(message, "type", "response") && Is(message, "command", "configurationDone")
            && message.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True)
        {
            resuming = ResumeAsync(target);
        }
    }

    private async Task ResumeAsync(int target)
    {
        try
        {
            await resume(target, CancellationToken.None).ConfigureAwait(false);
            report($"the debugger is attached: resumed .NET process {target}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report($"could not resume .NET process {target}: {e.Message}");
        }
    }

    private static bool Is(JsonElement message, string property, string value) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty(property, out var found)
        && found.ValueKind == JsonValueKind.String && found.GetString() == value;
}
