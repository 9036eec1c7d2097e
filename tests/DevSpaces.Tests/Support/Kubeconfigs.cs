namespace DevSpaces.Tests.Support;

/// <summary>Kubeconfig files for tests that need a cluster-shaped config but no cluster.</summary>
public static class Kubeconfigs
{
    /// <summary>A context whose API server address refuses connections (a loopback port nothing listens on).</summary>
    public static string Unreachable(TempDirectory dir, string context = "nowhere", string fileName = "kubeconfig-unreachable")
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return dir.File(fileName, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c1
              cluster:
                server: https://127.0.0.1:{port}
                insecure-skip-tls-verify: true
            users:
            - name: u1
              user:
                token: not-a-real-token
            contexts:
            - name: {context}
              context:
                cluster: c1
                user: u1
            - name: other
              context:
                cluster: c1
                user: u1
                namespace: team
            current-context: {context}
            """);
    }
}
