using System.Diagnostics;

namespace DevSpaces.ClusterTests.Support;

/// <summary>
/// Starts a command through <c>env --default-signal=INT</c> (which execs it, keeping the pid), so that the SIGINT a
/// test sends as Ctrl-C reaches it also when the test run was started in the background by a non-interactive shell:
/// such a shell ignores SIGINT for its children, an ignored signal stays ignored across exec, and .NET keeps it so.
/// </summary>
public static class InterruptibleProcess
{
    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("env") { UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(fileName);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
