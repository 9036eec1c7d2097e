using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// A batch as its frames arrive, applied as it arrives: moves and deletes at once, each file written under a hidden
/// partial name in its folder (hashed on the way) and renamed into place when its last byte is there, so no file is
/// ever seen half written and the tree is done when the commit comes. Changes are applied in the order they were sent.
/// </summary>
internal sealed class IncomingBatch(TreeStore tree) : IDisposable
{
    private static readonly UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101;
    private static readonly UnixFileMode PlainMode = (UnixFileMode)0b110_100_100;

    private Microsoft.Win32.SafeHandles.SafeFileHandle? current;
    private long written;
    private PutFile? announced;
    private ContentHasher? hash;
    private string? currentStaged;
    private long remaining;

    /// <summary>Runs from the batch's first frame, for the helper's log.</summary>
    public System.Diagnostics.Stopwatch Received { get; } = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>The helper's CPU time at the batch's first frame, for the helper's log.</summary>
    public Environment.ProcessCpuUsage Cpu { get; } = Environment.CpuUsage;

    /// <summary>Changes applied so far.</summary>
    public int Applied { get; private set; }

    public int Moved { get; private set; }

    public int Deleted { get; private set; }

    public List<PathProblem> Problems { get; } = [];

    public void Move(MoveFile move)
    {
        Moved++;
        Count(tree.Move(move));
    }

    public void Delete(string path)
    {
        Deleted++;
        Count(tree.Delete(path));
    }

    public void Announce(PutFile put)
    {
        if (remaining > 0)
        {
            throw new InvalidDataException($"{put.Path} was announced before the {remaining} bytes left of {announced!.Path} arrived.");
        }

        announced = put;
        remaining = put.Size;
        written = 0;

        // Links and folders on the way are checked before the partial file is made beside its place. A file that cannot
        // be written has its data read and dropped, and the batch goes on.
        if (tree.CreatePartial(put.Path, out current, out currentStaged) is { } problem)
        {
            Problems.Add(problem);
        }
        else
        {
            hash = new ContentHasher();
        }

        if (remaining == 0)
        {
            Finish();
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (announced == null || data.Length > remaining)
        {
            throw new InvalidDataException("File data arrived that no announced file expects.");
        }

        // Data of a refused path is read and dropped.
        if (current != null && Native.WriteAt(current, data, written) is not 0 and var errno)
        {
            throw new IOException($"{announced.Path}: cannot be written: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
        }

        written += data.Length;
        hash?.Append(data);
        remaining -= data.Length;
        if (remaining == 0)
        {
            Finish();
        }
    }

    /// <summary>Deletes a partial file not put in place (a file cut off when the connection ended).</summary>
    public void DiscardStaged()
    {
        current?.Dispose();
        current = null;
        hash?.Dispose();
        hash = null;
        if (currentStaged != null)
        {
            DeleteStaged();
            currentStaged = null;
        }
    }

    public void Dispose() => DiscardStaged();

    private void Finish()
    {
        if (current != null)
        {
            var put = announced!;
            var content = Convert.ToHexStringLower(hash!.GetHashAndReset());
            PathProblem? problem;
            try
            {
                // The mode, size and modification time come from the open file: no lookups by path.
                File.SetUnixFileMode(current, put.Executable ? ExecutableMode : PlainMode);
                var modified = File.GetLastWriteTimeUtc(current).Ticks;
                current.Dispose();
                problem = tree.Put(new StagedFile(put.Path, currentStaged!, content, put.Executable, put.Size, modified));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = new PathProblem(put.Path, e.Message);
            }

            current.Dispose();
            current = null;
            if (problem != null)
            {
                DeleteStaged();
            }

            currentStaged = null;
            Count(problem);
        }

        hash?.Dispose();
        hash = null;
    }

    private void DeleteStaged()
    {
        try
        {
            File.Delete(currentStaged!);
        }
        catch (DirectoryNotFoundException)
        {
            // Its folder went with a delete from another connection.
        }
    }

    private void Count(PathProblem? problem)
    {
        if (problem == null)
        {
            Applied++;
        }
        else
        {
            Problems.Add(problem);
        }
    }
}
