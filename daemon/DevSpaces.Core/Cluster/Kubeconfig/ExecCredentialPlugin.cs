using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>
/// A user's credential plugin (<c>users[].user.exec</c>), run as kubectl runs it: its arguments and environment, the
/// ExecCredential request in <c>KUBERNETES_EXEC_INFO</c>, no input. Its answer is kept until the expiry it states (a
/// minute before), then the plugin runs again. A failure says what the plugin said on stderr and its exit code; its
/// stdout (which may hold a credential) is never shown.
/// </summary>
public sealed class ExecCredentialPlugin(KubeconfigExec exec, string user)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim gate = new(1, 1);
    private ExecCredential? current;

    /// <summary>The credential, from the plugin when none is kept or the kept one expires.</summary>
    /// <exception cref="CredentialPluginException">The plugin failed or printed no credential.</exception>
    public async Task<ExecCredential> GetAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is not { } kept || kept.Expires is { } expires && expires - RefreshMargin <= DateTimeOffset.UtcNow)
            {
                current = kept = await RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return kept;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The Authorization header of the plugin's token; null when it gives a client certificate instead.</summary>
    public async Task<AuthenticationHeaderValue?> HeaderAsync(CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken).ConfigureAwait(false)).Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null;

    private async Task<ExecCredential> RunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(exec.Command))
        {
            throw new CredentialPluginException($"The 'exec' of user '{user}' ({exec.Place}) has no command.");
        }

        var info = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in exec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in exec.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment["KUBERNETES_EXEC_INFO"] = $"{{\"apiVersion\":\"{exec.ApiVersion}\",\"kind\":\"ExecCredential\",\"spec\":{{\"interactive\":false}}}}";
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception ex)
        {
            throw new CredentialPluginException($"'{exec.Command}' could not be started: {ex.Message}{(string.IsNullOrEmpty(exec.InstallHint) ? "" : ". " + exec.InstallHint)}", ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended meanwhile.
                }

                cancellationToken.ThrowIfCancellationRequested();
                throw new CredentialPluginException($"'{exec.Command}' did not finish within {Timeout.TotalSeconds:0} s.");
            }

            var output = await stdout.ConfigureAwait(false);
            var said = (await stderr.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new CredentialPluginException($"'{exec.Command}' exited with code {process.ExitCode}{(said.Length > 0 ? ": " + said : "")}");
            }

            return Parse(output) ?? throw new CredentialPluginException(
                $"'{exec.Command}' exited 0 but its output is not a valid ExecCredential (a status with a token, or a client certificate and key){(said.Length > 0 ? ": " + said : "")}");
        }
    }

    /// <summary>The credential in an ExecCredential's status; null when there is none.</summary>
    public static ExecCredential? Parse(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var token = Text(status, "token");
            var certificate = Text(status, "clientCertificateData");
            var key = Text(status, "clientKeyData");
            DateTimeOffset? expires = Text(status, "expirationTimestamp") is { } stamp
                                      && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : null;
            var hasCertificate = !string.IsNullOrEmpty(certificate) && !string.IsNullOrEmpty(key);
            return string.IsNullOrEmpty(token) && !hasCertificate ? null : new ExecCredential(token, hasCertificate ? certificate : null, hasCertificate ? key : null, expires);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
