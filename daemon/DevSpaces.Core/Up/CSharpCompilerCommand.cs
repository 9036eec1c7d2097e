using DevSpaces.Core.Sync;

namespace DevSpaces.Core.Up;

/// <summary>
/// The C# compiler's command line as the project's last <c>dotnet build</c> ran it (the Csc task's arguments, written to
/// a file by a target that <c>dotnet build</c> is given), so that an edit of existing <c>.cs</c> files can be compiled
/// by the compiler alone, without MSBuild's evaluation and targets.
/// </summary>
/// <param name="ProjectDirectory">Where the compiler ran: relative paths in the arguments resolve there.</param>
/// <param name="DotNetHost">The <c>dotnet</c> executable that ran the build.</param>
/// <param name="CompilerDll">The SDK's <c>csc.dll</c>, the one whose compiler server the build used.</param>
/// <param name="Arguments">The compiler's arguments, one per item, as the build passed them.</param>
public sealed partial record CSharpCompilerCommand(string ProjectDirectory, string DotNetHost, string CompilerDll, IReadOnlyList<string> Arguments)
{
    /// <summary>The target that writes the command: the SDK's Csc task gives its arguments when <c>ProvideCommandLineArgs</c> is true.</summary>
    public const string CaptureTargets = """
        <Project>
          <!-- Written by DevSpaces: keeps the C# compiler's command line of the last compile, so an edit of existing
               sources can be compiled by the compiler alone. -->
          <Target Name="DevSpacesWriteCompilerCommand" AfterTargets="CoreCompile" Condition="'$(DevSpacesCompilerCommandFile)' != '' and '@(CscCommandLineArgs)' != ''">
            <WriteLinesToFile File="$(DevSpacesCompilerCommandFile).tmp" Lines="project=$(MSBuildProjectDirectory)" Overwrite="true" />
            <WriteLinesToFile File="$(DevSpacesCompilerCommandFile).tmp" Lines="host=$(DOTNET_HOST_PATH)" />
            <WriteLinesToFile File="$(DevSpacesCompilerCommandFile).tmp" Lines="csc=$(RoslynTargetsPath)/bincore/csc.dll" />
            <WriteLinesToFile File="$(DevSpacesCompilerCommandFile).tmp" Lines="@(CscCommandLineArgs)" />
            <Move SourceFiles="$(DevSpacesCompilerCommandFile).tmp" DestinationFiles="$(DevSpacesCompilerCommandFile)" />
          </Target>
        </Project>

        """;

    /// <summary>The arguments <c>dotnet build</c> is given so that it writes the command to <paramref name="file"/>.</summary>
    public static IReadOnlyList<string> CaptureArguments(string targets, string file) =>
        ["-p:ProvideCommandLineArgs=true", $"-p:CustomAfterMicrosoftCommonTargets={targets}", $"-p:DevSpacesCompilerCommandFile={file}"];

    /// <summary>Reads what the capture target wrote; null when there is nothing usable (no file, or too short).</summary>
    public static CSharpCompilerCommand? Read(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var lines = File.ReadAllLines(file);
        if (lines.Length < 4 || Value(lines[0], "project=") is not { Length: > 0 } project || Value(lines[1], "host=") is not { } host
            || Value(lines[2], "csc=") is not { } csc || !File.Exists(csc))
        {
            return null;
        }

        return new CSharpCompilerCommand(project, host.Length > 0 ? host : "dotnet", csc, lines[3..]);

        static string? Value(string line, string name) => line.StartsWith(name, StringComparison.Ordinal) ? line[name.Length..] : null;
    }

    /// <summary>The source files compiled, as full paths.</summary>
    public IReadOnlySet<string> Sources => sources ??= Arguments
        .Where(a => a.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) && (!a.StartsWith('/') && !a.StartsWith('-') || File.Exists(a)))
        .Select(a => Path.GetFullPath(a, ProjectDirectory))
        .ToHashSet(StringComparer.Ordinal);

    private IReadOnlySet<string>? sources;

    /// <summary>The assembly the compiler writes (<c>/out:</c>), as a full path.</summary>
    public string? OutputAssembly => Arguments.FirstOrDefault(a => a.StartsWith("/out:", StringComparison.Ordinal)) is { } output
        ? Path.GetFullPath(output["/out:".Length..].Trim('"'), ProjectDirectory)
        : null;

    /// <summary>The symbols written with the assembly: <c>/pdb:</c>, else beside the assembly.</summary>
    public string? OutputSymbols => Arguments.FirstOrDefault(a => a.StartsWith("/pdb:", StringComparison.Ordinal)) is { } symbols
        ? Path.GetFullPath(symbols["/pdb:".Length..].Trim('"'), ProjectDirectory)
        : OutputAssembly is { } assembly ? Path.ChangeExtension(assembly, ".pdb") : null;

    /// <summary>
    /// The arguments with what the compiler writes moved into <paramref name="folder"/>: the assembly, its reference
    /// assembly and symbols; the documentation file, error log and generated sources are left out.
    /// </summary>
    public IReadOnlyList<string> WithOutputIn(string folder)
    {
        var name = OutputAssembly is { } assembly ? Path.GetFileName(assembly) : "output.dll";
        return [
            .. Arguments.Where(a => !new[] { "/out:", "/doc:", "/errorlog:", "/generatedfilesout:", "/pdb:", "/refout:" }.Any(o => a.StartsWith(o, StringComparison.Ordinal))),
            $"/out:{Path.Combine(folder, name)}",
        ];
    }

    /// <summary>
    /// Whether a line the compiler printed reports an error in the code (<c>file(line,col): error CS1002: …</c>), not
    /// one of its command line (CS2xxx: a source file not found, an output not writable) or a missing reference (CS0006).
    /// </summary>
    public static bool IsCodeError(string line) => CodeError().IsMatch(line);

    [System.Text.RegularExpressions.GeneratedRegex(@"\berror CS(?!2\d{3}|0006)\d{4}:")]
    private static partial System.Text.RegularExpressions.Regex CodeError();

    /// <summary>
    /// Whether the compiler alone, with this command, builds what <c>dotnet build</c> would after <paramref name="change"/>
    /// (paths relative to <paramref name="projectFolder"/>): only files it compiles were written, nothing was added,
    /// deleted or moved, and no project file, props, targets or other input of MSBuild changed.
    /// </summary>
    public bool Covers(SyncPlan change, string projectFolder) =>
        change.Moves.Count == 0
        && change.Deletes.Count == 0
        && change.Upserts.All(file => Sources.Contains(Path.GetFullPath(file.Path, projectFolder)));
}
