using System.ComponentModel;
using System.Diagnostics;
using k8s.KubeConfigModels;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// The Kubernetes client reports a failed exec credential plugin only as "could not parse its output".
/// After such a failure the plugin is run once more, as the client ran it, to show the user what the
/// plugin itself said (stderr) and its exit code.
/// </summary>
public static class CredentialPluginDiagnosis
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static string? Describe(ExternalExecution exec)
    {
        if (string.IsNullOrEmpty(exec.Command))
        {
            return "the kubeconfig's users[].exec has no command";
        }

        var info = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in exec.Arguments ?? [])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var variable in exec.EnvironmentVariables ?? [])
        {
            if (variable.TryGetValue("name", out var name) && variable.TryGetValue("value", out var value))
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["KUBERNETES_EXEC_INFO"] = $"{{\"apiVersion\":\"{exec.ApiVersion}\",\"kind\":\"ExecCredential\",\"spec\":{{\"interactive\":false}}}}";
        try
        {
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return $"'{exec.Command}' did not finish within {Timeout.TotalSeconds:0} s";
            }

            // Stdout may hold a credential: only stderr and the exit code are shown.
            _ = stdout.GetAwaiter().GetResult();
            var said = stderr.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0
                ? $"'{exec.Command}' exited 0 but its output is not a valid ExecCredential{(said.Length > 0 ? ": " + said : "")}"
                : $"'{exec.Command}' exited with code {process.ExitCode}{(said.Length > 0 ? ": " + said : "")}";
        }
        catch (Win32Exception ex)
        {
            return $"'{exec.Command}' could not be started: {ex.Message}{(string.IsNullOrEmpty(exec.InstallHint) ? "" : ". " + exec.InstallHint)}";
        }
    }
}
