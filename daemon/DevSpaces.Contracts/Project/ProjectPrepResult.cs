namespace DevSpaces.Contracts;

/// <summary>Answer to <c>project/prep</c>.</summary>
/// <param name="Folder">Absolute path of the folder prepared.</param>
/// <param name="Runtime"><c>dotnet</c>, <c>node</c> or <c>java</c>.</param>
/// <param name="Service">The service name written into the manifests and <c>devspaces.yaml</c>.</param>
/// <param name="Written">Files written, relative to the folder.</param>
/// <param name="Skipped">Files that existed and were kept, relative to the folder.</param>
/// <param name="Notes">What the user should know: choices made, what to set on a cluster without a registry.</param>
public sealed record ProjectPrepResult(string Folder, string Runtime, string Service, IReadOnlyList<string> Written, IReadOnlyList<string> Skipped, IReadOnlyList<string> Notes);
