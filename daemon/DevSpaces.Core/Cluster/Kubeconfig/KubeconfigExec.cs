namespace DevSpaces.Core.Cluster.Kubeconfig;

/// <summary>A user's credential plugin (<c>users[].user.exec</c>): the command that prints an ExecCredential.</summary>
public sealed record KubeconfigExec(
    string? Command,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    string? ApiVersion,
    string? InstallHint,
    KubeconfigPlace Place);
