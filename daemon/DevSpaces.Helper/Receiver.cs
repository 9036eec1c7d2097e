using DevSpaces.Helper.Protocol;

namespace DevSpaces.Helper;

/// <summary>
/// <c>devspaces-helper receive DIR</c>, run through exec: a batch of files (the sync protocol's PutFile and FileData
/// frames, then Commit) read from stdin lands in <c>DIR</c> as sync applies it (staged, then moved into place, modes
/// kept). It places the user's .NET debugger in the container, whose image may have no shell or tar.
/// </summary>
internal static class Receiver
{
    public static async Task<int> RunAsync(string root, TextWriter output, TextWriter error)
    {
        Directory.CreateDirectory(root);
        var tree = new TreeStore(root);
        using var batch = new IncomingBatch(tree);
        var frames = new FrameStream(Console.OpenStandardInput());
        try
        {
            while (await frames.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } frame)
            {
                switch (frame.Kind)
                {
                    case HelperFrameKind.PutFile:
                        batch.Announce(PutFile.Read(frame.Reader()));
                        break;
                    case HelperFrameKind.FileData:
                        batch.Write(frame.Payload);
                        break;
                    case HelperFrameKind.Commit:
                        var result = tree.Complete(batch);
                        foreach (var problem in result.Problems)
                        {
                            await error.WriteLineAsync($"devspaces-helper: {problem.Path}: {problem.Message}").ConfigureAwait(false);
                        }

                        await output.WriteLineAsync($"received {result.Applied} files into {tree.Root}").ConfigureAwait(false);
                        return result.Problems.Count == 0 ? 0 : 1;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
        {
            await error.WriteLineAsync($"devspaces-helper: receive: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await error.WriteLineAsync("devspaces-helper: receive: the input ended before the files were committed").ConfigureAwait(false);
        return 1;
    }
}
