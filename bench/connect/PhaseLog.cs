using DevSpaces.Core.Logging;

/// <summary>Passes warnings on and turns the daemon's "connect set-up: …" debug lines into timeline marks.</summary>
sealed class PhaseLog(ILog inner) : ILog
{
    private const string Prefix = "connect set-up: ";

    public Action<string>? OnPhase { get; set; }

    public void Write(LogLevel level, string message)
    {
        if (message.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var phase = message[Prefix.Length..];
            var cut = phase.IndexOf(" done after ", StringComparison.Ordinal);
            OnPhase?.Invoke("daemon: " + (cut < 0 ? phase : phase[..cut]));
        }

        inner.Write(level, message);
    }
}
