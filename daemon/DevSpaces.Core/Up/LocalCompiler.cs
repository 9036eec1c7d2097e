using System.ComponentModel;
using System.Diagnostics;
using DevSpaces.Core.Project;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;

namespace DevSpaces.Core.Up;

/// <summary>
/// <c>run.compile</c>: runs the project's own build on this machine, where an incremental build with a warm compiler is
/// fastest, and copies into the container only the output files whose content differs from the container's copy.
/// Two commands get a faster path that gives the same output: <c>dotnet build</c>, once it has compiled, is skipped for
/// edits of existing <c>.cs</c> files, which the C# compiler alone recompiles on the SDK's compiler server with the
/// command line the build used; <c>javac</c> runs in a compile server kept warm for the session.
/// </summary>
public sealed class LocalCompiler : IAsyncDisposable
{
    private readonly ProjectCompile compile;
    private readonly string projectFolder;
    private readonly FolderScanner output;
    private readonly CompileKind kind;
    private readonly object sync = new();
    private string? scratch;
    private CSharpCompilerCommand? csharp;
    private bool fullBuildNeeded = true;
    private Task<JavaCompileServerProcess>? javaServer;
    private Task warming = Task.CompletedTask;
    private string? javaServerProblem;

    public LocalCompiler(ProjectCompile compile, string projectFolder)
    {
        this.compile = compile;
        this.projectFolder = projectFolder;
        output = new FolderScanner(compile.Output, new SyncRules(null, []));
        kind = KindOf(compile.Command);
    }

    private enum CompileKind
    {
        Other,
        DotNetBuild,
        Javac,
    }

    public string CommandLine => string.Join(' ', compile.Command);

    /// <summary>The output folder relative to the project's folder (forward slashes), which watching leaves out.</summary>
    public string RelativeOutput => Path.GetRelativePath(projectFolder, compile.Output).Replace('\\', '/');

    /// <summary>What the next compile runs, as <see cref="RunAsync"/> reports it when it starts.</summary>
    public string NextPath
    {
        get
        {
            lock (sync)
            {
                return kind switch
                {
                    CompileKind.DotNetBuild when csharp != null && !fullBuildNeeded => CompilerOnlyPath,
                    CompileKind.Javac when javaServerProblem == null => JavaServerPath,
                    _ => CommandLine,
                };
            }
        }
    }

    private const string CompilerOnlyPath = "the C# compiler alone on the SDK's compiler server, as only existing .cs files changed";

    private const string JavaServerPath = "javac in the warm compile server";

    /// <summary>Starts what keeps the compiler warm (for javac, the compile server, which compiles the project once into a scratch folder).</summary>
    public void Warm()
    {
        if (kind == CompileKind.Javac && javaServer == null && javaServerProblem == null)
        {
            if (JavaCompileServerProcess.FindJava(compile.Command[0]) is { } java)
            {
                javaServer = StartJavaServerAsync(java);
            }
            else
            {
                javaServerProblem = $"no java was found beside '{compile.Command[0]}'";
            }
        }
    }

    private async Task<JavaCompileServerProcess> StartJavaServerAsync(string java)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            return await JavaCompileServerProcess.StartAsync(java, projectFolder, compile.Command.Skip(1).ToList(), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new JavaCompileServerException("it was not ready within a minute");
        }
        catch (IOException e)
        {
            throw new JavaCompileServerException(e.Message);
        }
    }

    /// <summary>
    /// Notes a change of the project's files (paths relative to its folder): anything but an edit of sources the C#
    /// compiler's last command compiled makes the next compile a full <c>dotnet build</c>.
    /// </summary>
    public void Observe(SyncPlan change)
    {
        lock (sync)
        {
            if (csharp == null || !csharp.Covers(change, projectFolder))
            {
                fullBuildNeeded = true;
            }
        }
    }

    /// <summary>
    /// Compiles, handing each line the compiler prints to <paramref name="line"/>; <paramref name="starting"/> is told
    /// what runs (a faster path, then the command itself when the faster path could not be used).
    /// </summary>
    /// <exception cref="LocalCompileUnavailableException">The program cannot be started on this machine.</exception>
    public async Task<LocalCompileResult> RunAsync(Action<string> starting, Action<string> line, CancellationToken cancellationToken)
    {
        Warm();
        await warming.WaitAsync(cancellationToken).ConfigureAwait(false);
        var path = NextPath;
        if (path == CompilerOnlyPath)
        {
            starting(path);
            var result = await CompilerOnlyAsync(line, cancellationToken).ConfigureAwait(false);
            if (result != null)
            {
                return result;
            }

            starting($"{CommandLine}, as the C# compiler alone could not compile (see above)");
        }
        else if (path == JavaServerPath)
        {
            starting(path);
            try
            {
                var server = await javaServer!.ConfigureAwait(false);
                return new LocalCompileResult(await server.CompileAsync(compile.Command.Skip(1).ToList(), line, cancellationToken).ConfigureAwait(false), path);
            }
            catch (JavaCompileServerException e)
            {
                lock (sync)
                {
                    javaServerProblem = e.Message;
                }

                starting($"{CommandLine}, as the warm compile server cannot be used: {e.Message}");
            }
        }
        else
        {
            starting(CommandLine);
        }

        return new LocalCompileResult(await FullAsync(line, cancellationToken).ConfigureAwait(false), CommandLine);
    }

    /// <summary>The project's own command; for <c>dotnet build</c> with the C# compiler's command line kept for the next compile.</summary>
    private async Task<int> FullAsync(Action<string> line, CancellationToken cancellationToken)
    {
        if (kind != CompileKind.DotNetBuild)
        {
            return await RunProcessAsync(compile.Command[0], compile.Command.Skip(1), projectFolder, line, cancellationToken).ConfigureAwait(false);
        }

        lock (sync)
        {
            fullBuildNeeded = false;
        }

        scratch ??= Directory.CreateTempSubdirectory("devspaces-compile-").FullName;
        var targets = Path.Combine(scratch, "capture.targets");
        var commandFile = Path.Combine(scratch, "csc.txt");
        File.WriteAllText(targets, CSharpCompilerCommand.CaptureTargets);
        File.Delete(commandFile);
        var exit = await RunProcessAsync(compile.Command[0], compile.Command.Skip(1).Concat(CSharpCompilerCommand.CaptureArguments(targets, commandFile)), projectFolder, line, cancellationToken).ConfigureAwait(false);
        lock (sync)
        {
            if (exit != 0)
            {
                fullBuildNeeded = true;
            }
            else if (CSharpCompilerCommand.Read(commandFile) is { } captured)
            {
                // Written only when the compiler ran; a build that skipped it leaves the last command valid.
                csharp = captured;
                warming = WarmCompilerServerAsync(captured, Path.Combine(scratch, "warm"));
            }
        }

        return exit;
    }

    /// <summary>
    /// The C# compiler with the last build's command, then the assembly and its symbols copied to the output folder as
    /// the build would; null when this path failed for another reason than errors in the code.
    /// </summary>
    private async Task<LocalCompileResult?> CompilerOnlyAsync(Action<string> line, CancellationToken cancellationToken)
    {
        var command = csharp!;
        var printed = new List<string>();
        int exit;
        try
        {
            exit = await RunProcessAsync(command.DotNetHost, ["exec", command.CompilerDll, "-shared", "-nologo", .. command.Arguments], command.ProjectDirectory, text =>
            {
                lock (printed)
                {
                    printed.Add(text);
                }

                line(text);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (LocalCompileUnavailableException)
        {
            exit = -1;
        }

        if (exit != 0)
        {
            if (printed.Any(CSharpCompilerCommand.IsCodeError))
            {
                return new LocalCompileResult(exit, CompilerOnlyPath);
            }

            lock (sync)
            {
                fullBuildNeeded = true;
            }

            return null;
        }

        if (command.OutputAssembly is not { } assembly || !File.Exists(assembly))
        {
            lock (sync)
            {
                fullBuildNeeded = true;
            }

            return null;
        }

        Directory.CreateDirectory(compile.Output);
        foreach (var file in new[] { assembly, command.OutputSymbols })
        {
            if (file != null && File.Exists(file))
            {
                File.Copy(file, Path.Combine(compile.Output, Path.GetFileName(file)), overwrite: true);
            }
        }

        return new LocalCompileResult(0, CompilerOnlyPath);
    }

    /// <summary>
    /// One compile with <paramref name="command"/> into <paramref name="folder"/> on the compiler server, so the next
    /// edit finds it started and warm even when the build compiled without it; its outcome does not matter.
    /// </summary>
    private static async Task WarmCompilerServerAsync(CSharpCompilerCommand command, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            await RunProcessAsync(command.DotNetHost, ["exec", command.CompilerDll, "-shared", "-nologo", .. command.WithOutputIn(folder)], command.ProjectDirectory, _ => { }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LocalCompileUnavailableException or IOException or UnauthorizedAccessException)
        {
        }
    }

    private static async Task<int> RunProcessAsync(string program, IEnumerable<string> arguments, string folder, Action<string> line, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        InheritedDescriptors.KeepFromChildren();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LocalCompileUnavailableException($"'{program}' did not start");
        }
        catch (Win32Exception e)
        {
            throw new LocalCompileUnavailableException($"'{program}' cannot be started on this machine ({e.Message})");
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

    private static CompileKind KindOf(IReadOnlyList<string> command) => Path.GetFileName(command[0]) switch
    {
        "dotnet" when command.Count > 1 && command[1] == "build" => CompileKind.DotNetBuild,
        "javac" => CompileKind.Javac,
        _ => CompileKind.Other,
    };

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

    public async ValueTask DisposeAsync()
    {
        await warming.ConfigureAwait(false);
        if (javaServer != null)
        {
            try
            {
                await (await javaServer.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (JavaCompileServerException)
            {
            }
        }

        if (scratch != null && Directory.Exists(scratch))
        {
            Directory.Delete(scratch, true);
        }
    }
}

/// <summary>How a compile ended: the compiler's exit code, and what ran (the last path tried).</summary>
public sealed record LocalCompileResult(int ExitCode, string Path);

/// <summary>The compile command's program is not on this machine: up falls back to rebuilding the image.</summary>
public sealed class LocalCompileUnavailableException(string message) : Exception(message);
