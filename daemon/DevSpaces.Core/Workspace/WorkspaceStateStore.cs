using System.Text.Json;
using DevSpaces.Contracts;
using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Workspace;

/// <summary>
/// Reads and writes <c>&lt;folder&gt;/.devspaces/state.json</c>. Without a folder the state lives in
/// memory only. Writes go to a temporary file that replaces the old one, so readers never see half a file.
/// </summary>
public sealed class WorkspaceStateStore(string? folder)
{
    private static readonly JsonSerializerOptions Json = RpcJson.Configure(new JsonSerializerOptions { WriteIndented = true });
    private WorkspaceState memory = WorkspaceState.Empty;

    public string? Folder { get; } = folder == null ? null : Path.GetFullPath(folder);

    public string? StateFile => Folder == null ? null : Path.Combine(Folder, ".devspaces", "state.json");

    public WorkspaceState Load()
    {
        if (StateFile == null)
        {
            return memory;
        }

        if (!File.Exists(StateFile))
        {
            return WorkspaceState.Empty;
        }

        try
        {
            return JsonSerializer.Deserialize<WorkspaceState>(File.ReadAllText(StateFile), Json) ?? WorkspaceState.Empty;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new DevSpacesException(
                RpcErrorCode.WorkspaceStateInvalid,
                $"Cannot read {StateFile}.",
                "Delete the file to start over (it only remembers the selected context and space), or fix its JSON.",
                ex.Message,
                ex);
        }
    }

    public void Save(WorkspaceState state)
    {
        if (StateFile == null)
        {
            memory = state;
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StateFile)!);
            var temporary = $"{StateFile}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(state, Json));
            File.Move(temporary, StateFile, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DevSpacesException(
                RpcErrorCode.WorkspaceStateInvalid,
                $"Cannot write {StateFile}.",
                "Check that the workspace folder is writable.",
                ex.Message,
                ex);
        }
    }
}
