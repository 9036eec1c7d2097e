using DevSpaces.Contracts;
using DevSpaces.Core.Debug;

namespace DevSpaces.Core.Up;

/// <summary>What to run where.</summary>
/// <param name="Folder">The service's folder (holding devspaces.yaml).</param>
/// <param name="Namespace">The space.</param>
/// <param name="LocalPort">The local port of the forward when devspaces.yaml gives none; null: a free one.</param>
/// <param name="Watch">Keep the container in step with the folder after it is up.</param>
/// <param name="BuildArgs">Build arguments over those of devspaces.yaml.</param>
/// <param name="Debug">Debug mode; null: the app runs as usual.</param>
public sealed record UpRequest(string Folder, string Namespace, int? LocalPort, bool Watch, IReadOnlyDictionary<string, string> BuildArgs, UpDebug? Debug = null);

/// <summary>Something that happened to a service that is up.</summary>
public sealed record UpEvent(UpEventKind Kind, string Message, TimeSpan? Duration = null)
{
    public DateTimeOffset Time { get; } = DateTimeOffset.UtcNow;
}
