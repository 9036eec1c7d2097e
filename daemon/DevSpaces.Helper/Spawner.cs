using System.Runtime.InteropServices;
using System.Text;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// Starts a process with <c>posix_spawnp</c> in its own process group, with the container's environment (less the
/// session key), signals reset to their defaults and nothing blocked (.NET ignores SIGPIPE; a child must not inherit
/// that).
/// </summary>
internal static unsafe class Spawner
{
    /// <param name="command">The program (looked up on PATH) and its arguments.</param>
    /// <param name="workingDirectory">Where it runs; null: here.</param>
    /// <param name="environment">Variables set on top of the container's (<c>NAME=value</c>).</param>
    /// <param name="standardStreams">Descriptors that become the child's 0, 1 and 2; null: the helper's own.</param>
    /// <returns>An errno (0: started) and the pid.</returns>
    public static (int Error, int Pid) Spawn(IReadOnlyList<string> command, string? workingDirectory, IReadOnlyList<string> environment, int[]? standardStreams)
    {
        var overrides = environment.Select(v => v.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name != HelperProtocol.KeyVariable && !overrides.Contains(name))
            .Select(name => $"{name}={Environment.GetEnvironmentVariable(name)}")
            .Concat(environment)
            .ToArray();
        var allocated = new List<nint>();
        byte* Utf8(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text + "\0");
            var memory = (byte*)NativeMemory.Alloc((nuint)bytes.Length);
            bytes.CopyTo(new Span<byte>(memory, bytes.Length));
            allocated.Add((nint)memory);
            return memory;
        }

        byte** Array(IReadOnlyList<string> items)
        {
            var array = (byte**)NativeMemory.AllocZeroed((nuint)(items.Count + 1), (nuint)sizeof(byte*));
            allocated.Add((nint)array);
            for (var i = 0; i < items.Count; i++)
            {
                array[i] = Utf8(items[i]);
            }

            return array;
        }

        var attributes = NativeMemory.AllocZeroed(Native.SpawnAttrSize);
        var actions = NativeMemory.AllocZeroed(Native.FileActionsSize);
        var all = NativeMemory.AllocZeroed(Native.SigSetSize);
        var none = NativeMemory.AllocZeroed(Native.SigSetSize);
        try
        {
            Native.SpawnAttrInit(attributes);
            Native.FileActionsInit(actions);
            Native.SigFillSet(all);
            Native.SigEmptySet(none);
            Native.SpawnAttrSetSigDefault(attributes, all);
            Native.SpawnAttrSetSigMask(attributes, none);
            Native.SpawnAttrSetPgroup(attributes, 0);
            Native.SpawnAttrSetFlags(attributes, Native.POSIX_SPAWN_SETPGROUP | Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK);
            if (standardStreams != null)
            {
                // dup2 onto 0, 1 and 2 clears close-on-exec there; every other pipe end closes on exec.
                for (var fd = 0; fd < 3; fd++)
                {
                    Native.FileActionsAddDup2(actions, standardStreams[fd], fd);
                }
            }

            if (!string.IsNullOrEmpty(workingDirectory))
            {
                Native.FileActionsAddChdir(actions, Utf8(workingDirectory));
            }

            var result = Native.PosixSpawnp(out var pid, Utf8(command[0]), actions, attributes, Array(command), Array(variables));
            Native.FileActionsDestroy(actions);
            Native.SpawnAttrDestroy(attributes);
            return (result, pid);
        }
        finally
        {
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(all);
            NativeMemory.Free(none);
            foreach (var memory in allocated)
            {
                NativeMemory.Free((void*)memory);
            }
        }
    }

    /// <summary>SIGTERM or SIGKILL to the process group <paramref name="target"/> leads, or to the process alone when it made another group.</summary>
    public static void Signal(int target, int signal)
    {
        if (Native.Kill(-target, signal) != 0)
        {
            Native.Kill(target, signal);
        }
    }
}
