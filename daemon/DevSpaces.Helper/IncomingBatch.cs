using System.Collections.Concurrent;
using DevSpaces.Helper.Protocol;
using Microsoft.Win32.SafeHandles;

namespace DevSpaces.Helper;

/// <summary>
/// A batch as its frames arrive, applied as it arrives: moves and deletes at once, each file written under a hidden
/// partial name in its folder (hashed on the way) and renamed into place when its last byte is there, so no file is
/// ever seen half written and the tree is done when the commit comes. Changes are applied in the order they were sent,
/// except that files up to <see cref="SmallFile"/> are written by <see cref="Writers"/> threads side by side once
/// their last byte has arrived (creating a file is mostly the file system's inode allocation, which one thread waits
/// on): each path always goes to the same thread, so the last write of a path still wins, and a move, a delete, a
/// larger file or the commit first waits until the files before it are in place.
/// </summary>
internal sealed class IncomingBatch(TreeStore tree, int writers) : IDisposable
{
    /// <summary>Files up to this size (one data frame) are held whole in memory and written by a writer thread.</summary>
    public const int SmallFile = FrameStream.DataChunkSize;

    private const int QueuedPerWriter = 16;
    private static readonly UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101;
    private static readonly UnixFileMode PlainMode = (UnixFileMode)0b110_100_100;

    private readonly List<(BlockingCollection<(PutFile Put, ReadOnlyMemory<byte> Data)> Queue, Thread Thread)> started = [];
    private readonly Lock counts = new();
    private readonly object drained = new();
    private int queued;
    private Exception? failure;
    private int applied;

    // The file being received: a small one gathered in memory, or a larger one written here as it arrives.
    private PutFile? announced;
    private long remaining;
    private byte[]? gathered;
    private SafeFileHandle? current;
    private long written;
    private ContentHasher? hash;
    private string? currentStaged;

    public IncomingBatch(TreeStore tree)
        : this(tree, DefaultWriters)
    {
    }

    /// <summary>One writer thread per processor the container may use, up to 4 (one writes in order on a single processor).</summary>
    public static int DefaultWriters { get; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public int Writers { get; } = writers;

    /// <summary>Runs from the batch's first frame, for the helper's log.</summary>
    public System.Diagnostics.Stopwatch Received { get; } = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>The helper's CPU time at the batch's first frame, for the helper's log.</summary>
    public Environment.ProcessCpuUsage Cpu { get; } = Environment.CpuUsage;

    /// <summary>Changes applied so far (all of them once <see cref="WaitForWriters"/> returned).</summary>
    public int Applied => Volatile.Read(ref applied);

    public int Moved { get; private set; }

    public int Deleted { get; private set; }

    public List<PathProblem> Problems { get; } = [];

    public void Move(MoveFile move)
    {
        WaitForWriters();
        Moved++;
        Count(tree.Move(move));
    }

    public void Delete(string path)
    {
        WaitForWriters();
        Deleted++;
        Count(tree.Delete(path));
    }

    public void Announce(PutFile put)
    {
        ThrowIfWriterFailed();
        if (remaining > 0)
        {
            throw new InvalidDataException($"{put.Path} was announced before the {remaining} bytes left of {announced!.Path} arrived.");
        }

        announced = put;
        remaining = put.Size;
        gathered = null;
        if (Writers > 1 && put.Size <= SmallFile)
        {
            if (remaining == 0)
            {
                Queue(put, ReadOnlyMemory<byte>.Empty);
            }

            return;
        }

        // A larger file is written here as it arrives, after the files before it.
        WaitForWriters();
        written = 0;

        // Links and folders on the way are checked before the partial file is made beside its place. A file that cannot
        // be written has its data read and dropped, and the batch goes on.
        if (tree.CreatePartial(put.Path, out current, out currentStaged) is { } problem)
        {
            Count(problem);
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

    /// <summary>The next piece of the announced file; a small file's pieces are kept (not copied) when one frame holds it whole.</summary>
    public void Write(ReadOnlyMemory<byte> data)
    {
        if (announced == null || data.Length > remaining)
        {
            throw new InvalidDataException("File data arrived that no announced file expects.");
        }

        if (Writers > 1 && announced.Size <= SmallFile)
        {
            if (gathered == null && data.Length == announced.Size)
            {
                remaining = 0;
                Queue(announced, data);
                return;
            }

            gathered ??= new byte[announced.Size];
            data.CopyTo(gathered.AsMemory((int)(announced.Size - remaining)));
            remaining -= data.Length;
            if (remaining == 0)
            {
                Queue(announced, gathered);
                gathered = null;
            }

            return;
        }

        // Data of a refused path is read and dropped.
        if (current != null && Native.WriteAt(current, data.Span, written) is not 0 and var errno)
        {
            throw new IOException($"{announced.Path}: cannot be written: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
        }

        written += data.Length;
        hash?.Append(data.Span);
        remaining -= data.Length;
        if (remaining == 0)
        {
            Finish();
        }
    }

    /// <summary>Returns once every file handed to the writer threads is in place (or refused); throws what stopped a writer.</summary>
    public void WaitForWriters()
    {
        lock (drained)
        {
            while (queued > 0)
            {
                Monitor.Wait(drained);
            }
        }

        ThrowIfWriterFailed();
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
            DeleteStaged(currentStaged);
            currentStaged = null;
        }
    }

    /// <summary>Lets the writer threads finish the whole files they hold, then deletes a partial file not put in place.</summary>
    public void Dispose()
    {
        foreach (var (queue, _) in started)
        {
            queue.CompleteAdding();
        }

        foreach (var (queue, thread) in started)
        {
            thread.Join();
            queue.Dispose();
        }

        DiscardStaged();
    }

    private void Queue(PutFile put, ReadOnlyMemory<byte> data)
    {
        // A path always goes to the same writer, which writes in the order received.
        var index = (StringComparer.Ordinal.GetHashCode(put.Path) & int.MaxValue) % Writers;
        while (started.Count <= index)
        {
            var queue = new BlockingCollection<(PutFile, ReadOnlyMemory<byte>)>(QueuedPerWriter);
            var thread = new Thread(() => WriteQueued(queue)) { IsBackground = true, Name = "sync writer" };
            thread.Start();
            started.Add((queue, thread));
        }

        lock (drained)
        {
            queued++;
        }

        started[index].Queue.Add((put, data));
    }

    private void WriteQueued(BlockingCollection<(PutFile Put, ReadOnlyMemory<byte> Data)> queue)
    {
        foreach (var (put, data) in queue.GetConsumingEnumerable())
        {
            try
            {
                if (Volatile.Read(ref failure) == null)
                {
                    WriteWhole(put, data.Span);
                }
            }
            catch (Exception e)
            {
                // Whatever stopped a writer ends the connection (the reader throws it), not the helper.
                Interlocked.CompareExchange(ref failure, e, null);
            }
            finally
            {
                lock (drained)
                {
                    if (--queued == 0)
                    {
                        Monitor.PulseAll(drained);
                    }
                }
            }
        }
    }

    /// <summary>Writes a file held whole under its partial name and puts it in place (a writer thread's work).</summary>
    private void WriteWhole(PutFile put, ReadOnlySpan<byte> data)
    {
        if (tree.CreatePartial(put.Path, out var handle, out var staged) is { } problem)
        {
            Count(problem);
            return;
        }

        string content;
        using (var hasher = new ContentHasher())
        {
            if (Native.WriteAt(handle!, data, 0) is not 0 and var errno)
            {
                handle!.Dispose();
                DeleteStaged(staged!);
                throw new IOException($"{put.Path}: cannot be written: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}");
            }

            hasher.Append(data);
            content = Convert.ToHexStringLower(hasher.GetHashAndReset());
        }

        Count(PutInPlace(put, handle!, staged!, content));
    }

    private void Finish()
    {
        if (current != null)
        {
            var content = Convert.ToHexStringLower(hash!.GetHashAndReset());
            Count(PutInPlace(announced!, current, currentStaged!, content));
            current = null;
            currentStaged = null;
        }

        hash?.Dispose();
        hash = null;
    }

    /// <summary>Sets the mode of a fully written partial file, closes it and renames it into place; null when done, else why not.</summary>
    private PathProblem? PutInPlace(PutFile put, SafeFileHandle handle, string staged, string content)
    {
        PathProblem? problem;
        try
        {
            // The mode, size and modification time come from the open file: no lookups by path.
            File.SetUnixFileMode(handle, put.Executable ? ExecutableMode : PlainMode);
            var modified = File.GetLastWriteTimeUtc(handle).Ticks;
            handle.Dispose();
            problem = tree.Put(new StagedFile(put.Path, staged, content, put.Executable, put.Size, modified));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = new PathProblem(put.Path, e.Message);
        }

        handle.Dispose();
        if (problem != null)
        {
            DeleteStaged(staged);
        }

        return problem;
    }

    private void ThrowIfWriterFailed()
    {
        if (Volatile.Read(ref failure) is { } e)
        {
            throw new IOException(e.Message, e);
        }
    }

    private static void DeleteStaged(string staged)
    {
        try
        {
            File.Delete(staged);
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
            Interlocked.Increment(ref applied);
            return;
        }

        lock (counts)
        {
            Problems.Add(problem);
        }
    }
}
