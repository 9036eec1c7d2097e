using k8s;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>
/// The test cluster's kubeconfig and variants of it (other users, more contexts) written to a private
/// temporary folder. Credentials are written to files only, never printed.
/// </summary>
public sealed class TestKubeconfig
{
    private TestKubeconfig(string path, string server, string? certificateAuthorityData, string clusterName, string adminUserYaml)
    {
        Path = path;
        Server = server;
        CertificateAuthorityData = certificateAuthorityData;
        ClusterName = clusterName;
        AdminUserYaml = adminUserYaml;
    }

    public string Path { get; }

    public string Server { get; }

    public string? CertificateAuthorityData { get; }

    public string ClusterName { get; }

    private string AdminUserYaml { get; }

    /// <summary>From <c>DEVSPACES_TEST_KUBECONFIG</c>, else <c>KUBECONFIG</c>; fails the test when neither names a file.</summary>
    public static TestKubeconfig Find()
    {
        var path = Support.TestCluster.FindKubeconfig();
        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        var context = config.Contexts.First(c => c.Name == config.CurrentContext);
        var cluster = config.Clusters.First(c => c.Name == context.ContextDetails.Cluster);
        var user = config.Users.First(u => u.Name == context.ContextDetails.User).UserCredentials;
        var userYaml = user.Token != null ? $"token: {user.Token}"
            : $"client-certificate-data: {user.ClientCertificateData}\nclient-key-data: {user.ClientKeyData}";
        return new TestKubeconfig(path, cluster.ClusterEndpoint.Server, cluster.ClusterEndpoint.CertificateAuthorityData, cluster.Name, userYaml);
    }

    public Kubernetes AdminClient() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path));

    /// <summary>A kubeconfig for the test cluster whose contexts use the given users (name → YAML body of users[].user).</summary>
    public string Write(string directory, string fileName, IReadOnlyList<(string Context, string User)> contexts, IReadOnlyDictionary<string, string> users)
    {
        var ca = CertificateAuthorityData == null ? "    insecure-skip-tls-verify: true" : $"    certificate-authority-data: {CertificateAuthorityData}";
        var text = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ClusterName}
              cluster:
                server: {Server}
            {ca}
            users:
            {string.Join("\n", users.Select(u => $"- name: {u.Key}\n  user:\n{Indent(u.Value, "    ")}"))}
            contexts:
            {string.Join("\n", contexts.Select(c => $"- name: {c.Context}\n  context:\n    cluster: {ClusterName}\n    user: {c.User}"))}
            current-context: {contexts[0].Context}
            """;
        var path = System.IO.Path.Combine(directory, fileName);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    /// <summary>The admin user under two context names.</summary>
    public string WriteTwoContexts(string directory) =>
        Write(directory, "two-contexts", [("first", "admin"), ("second", "admin")], new Dictionary<string, string> { ["admin"] = AdminUserYaml });

    private static string Indent(string text, string indent) =>
        string.Join("\n", text.Split('\n').Select(l => indent + l));
}
