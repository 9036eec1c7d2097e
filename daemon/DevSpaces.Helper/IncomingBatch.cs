using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// A batch as its frames arrive: files are written to the staging folder (hashed on the way) and wait there, with
/// the deletes and moves, until the commit applies them all at once.
/// </summary>
internal sealed class IncomingBatch(TreeStore tree) : IDisposable
{
    private FileStream? current;
    private PutFile? announced;
    private ContentHasher? hash;
    private string? currentStaged;
    private long remaining;

    /// <summary>Runs from the batch's first frame, for the helper's log.</summary>
    public System.Diagnostics.Stopwatch Received { get; } = System.Diagnostics.Stopwatch.StartNew();

    public List<StagedFile> Puts { get; } = [];

    public List<string> Deletes { get; } = [];

    public List<MoveFile> Moves { get; } = [];

    public List<PathProblem> Problems { get; } = [];

    public void Announce(PutFile put)
    {
        if (remaining > 0)
        {
            throw new InvalidDataException($"{put.Path} was announced before the {remaining} bytes left of {announced!.Path} arrived.");
        }

        announced = put;
        remaining = put.Size;
        if (tree.UnsafeReason(put.Path) is { } reason)
        {
            Problems.Add(new PathProblem(put.Path, reason));
            current = null;
        }
        else
        {
            try
            {
                currentStaged = tree.NewStagingPath();
                current = new FileStream(currentStaged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
                hash = new ContentHasher();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                // Its data is read and dropped, and the batch goes on.
                var cause = e is UnauthorizedAccessException ? "permission denied" : e.Message;
                Problems.Add(new PathProblem(put.Path, $"cannot be written: {tree.Root} is not writable by the container's user ({cause}); give the folder to that user in the image, e.g. COPY --chown=<uid>:<gid>"));
                current = null;
                currentStaged = null;
                hash = null;
            }
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
        current?.Write(data);
        hash?.Append(data);
        remaining -= data.Length;
        if (remaining == 0)
        {
            Finish();
        }
    }

    /// <summary>Deletes whatever was staged and not applied (after a commit, or when the connection ends).</summary>
    public void DiscardStaged()
    {
        current?.Dispose();
        current = null;
        foreach (var path in Puts.Select(p => p.StagedPath).Append(currentStaged).OfType<string>())
        {
            try
            {
                File.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
                // The staging folder went with the commit.
            }
        }

        Puts.Clear();
        currentStaged = null;
    }

    public void Dispose() => DiscardStaged();

    private void Finish()
    {
        if (current != null)
        {
            current.Dispose();
            current = null;
            Puts.Add(new StagedFile(announced!.Path, currentStaged!, Convert.ToHexStringLower(hash!.GetHashAndReset()), announced.Executable));
            currentStaged = null;
        }

        hash?.Dispose();
        hash = null;
    }
}
