namespace DevSpaces.Contracts;

/// <summary>Answer to <c>context/list</c>.</summary>
/// <param name="Contexts">Contexts of the kubeconfig, in file order.</param>
/// <param name="Current">The context the workspace uses (its own choice, else the kubeconfig's current-context).</param>
/// <param name="KubeconfigFiles">The kubeconfig files read.</param>
public sealed record ContextList(IReadOnlyList<ContextInfo> Contexts, string? Current, IReadOnlyList<string> KubeconfigFiles);
