using System.Diagnostics;
using DevSpaces.Core.Connect;

namespace DevSpaces.Tests.Connect;

/// <summary>The identity of a process that ran and exited: what a crashed session's owner looks like.</summary>
public static class DeadProcess
{
    public static async Task<ProcessIdentity> IdentityAsync()
    {
        using var process = Process.Start("true")!;
        await process.WaitForExitAsync();
        return new ProcessIdentity(process.Id, 12345);
    }
}
