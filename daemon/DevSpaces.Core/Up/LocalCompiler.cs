using System.ComponentModel;
using System.Diagnostics;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Up;

/// <summary>
/// <c>run.compile</c>: runs the project's own build on this machine, where an incremental build with a warm compiler is
/// fastest, and copies into the container only the output files whose content differs from the container's copy.
/// </summary>
public sealed class LocalCompiler(ProjectCompile compile, string projectFolder)
{
    private readonly FolderScanner output = new(compile.Output, new SyncRules(null, []));

    public string CommandLine => string.Join(' ', compile.Command);

    /// <summary>The output folder relative to the project's folder (forward slashes), which watching leaves out.</summary>
    public string RelativeOutput => Path.GetRelativePath(projectFolder, compile.Output).Replace('\\', '/');

    /// <summary>Runs the command in the project's folder, handing each line it prints to <paramref name="line"/>.</summary>
    /// <returns>Its exit code.</returns>
    /// <exception cref="LocalCompileUnavailableException">The program cannot be started on this machine.</exception>
    public async Task<int> RunAsync(Action<string> line, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(compile.Command[0])
        {
            WorkingDirectory = projectFolder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in compile.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LocalCompileUnavailableException($"'{compile.Command[0]}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new LocalCompileUnavailableException($"'{compile.Command[0]}' cannot be started on this machine ({e.Message})");
        }

        using (process)
        {
            process.StandardInput.Close();
            try
            {
                await Task.WhenAll(Lines(process.StandardOutput), Lines(process.StandardError), process.WaitForExitAsync(cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            return process.ExitCode;
        }

        async Task Lines(StreamReader reader)
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } text)
            {
                if (text.Trim().Length > 0)
                {
                    line(text);
                }
            }
        }
    }

    /// <summary>
    /// Copies the output files that differ from <paramref name="container"/> (what the container holds, updated here)
    /// to <paramref name="target"/>; files the project's sync owns (<paramref name="ownedBySync"/>) are left to it.
    /// </summary>
    /// <returns>The files sent.</returns>
    public async Task<IReadOnlyList<FileEntry>> CopyChangedAsync(ISyncTarget target, IDictionary<string, FileEntry> container, Func<string, bool> ownedBySync, CancellationToken cancellationToken)
    {
        output.ScanAll();
        var changed = Changed(output.Files, container.AsReadOnly(), ownedBySync);
        if (changed.Count == 0)
        {
            return [];
        }

        var applied = await target.ApplyAsync(new SyncPlan(changed, [], []), compile.Output, cancellationToken).ConfigureAwait(false);
        var failed = applied.Result.Problems.ToDictionary(p => p.Path, p => p.Message, StringComparer.Ordinal);
        if (failed.Count > 0)
        {
            foreach (var path in failed.Keys)
            {
                container.Remove(path);
            }

            throw new HelperException($"the container refused {string.Join(", ", failed.Select(f => $"{f.Key} ({f.Value})"))}");
        }

        foreach (var sent in applied.Sent)
        {
            container[sent.Path] = sent;
        }

        return applied.Sent;
    }

    /// <summary>The output files whose content (or executable bit) differs from the container's, in path order; deletions are never planned.</summary>
    public static List<FileEntry> Changed(IReadOnlyDictionary<string, FileEntry> output, IReadOnlyDictionary<string, FileEntry> container, Func<string, bool> ownedBySync) =>
        output.Values
            .Where(file => !ownedBySync(file.Path))
            .Where(file => !container.TryGetValue(file.Path, out var there) || there.Hash != file.Hash || there.Executable != file.Executable)
            .OrderBy(file => file.Path, StringComparer.Ordinal)
            .ToList();
}

/// <summary>The compile command's program is not on this machine: up falls back to rebuilding the image.</summary>
public sealed class LocalCompileUnavailableException(string message) : Exception(message);
