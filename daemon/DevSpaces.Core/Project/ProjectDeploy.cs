namespace DevSpaces.Core.Project;

/// <summary><c>deploy</c> of <c>devspaces.yaml</c>.</summary>
/// <param name="Manifests">Absolute paths of the manifest files, in the order they are applied.</param>
/// <param name="Container">The container that runs this code; null: the one named like the service, else the only one.</param>
public sealed record ProjectDeploy(IReadOnlyList<string> Manifests, string? Container);
