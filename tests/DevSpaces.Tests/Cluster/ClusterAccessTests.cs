using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cluster;

/// <summary>
/// One context of a kubeconfig file resolved into what reaching its API server takes: each credential kind, the TLS
/// settings, the lazy KubernetesClient configuration made from the same, and the errors of an unusable context.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ClusterAccessTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    [Test]
    public void A_Token_Is_Sent_As_Bearer()
    {
        var access = Resolve("token: t0k3n");

        Assert.That(HeaderOf(access), Is.EqualTo("Bearer t0k3n"));
    }

    [Test]
    public void A_Token_File_Relative_To_The_Kubeconfig_Is_Read_Before_Every_Request()
    {
        dir.File("token", "first\n");
        var access = Resolve("tokenFile: token");
        var first = HeaderOf(access);
        dir.File("token", "rotated\n");

        Assert.That((first, HeaderOf(access)), Is.EqualTo(("Bearer first", "Bearer rotated")));
    }

    [Test]
    public void A_User_Name_And_Password_Are_Sent_As_Basic()
    {
        Assert.That(HeaderOf(Resolve("{username: admin, password: s3cret}")), Is.EqualTo("Basic YWRtaW46czNjcmV0"));
    }

    [Test]
    public void A_Client_Certificate_From_Files_Or_Data_Is_Presented_Without_An_Authorization_Header()
    {
        var (certificate, key) = SelfSigned("CN=alice");
        dir.File("alice.crt", certificate);
        dir.File("alice.key", key);
        var fromFiles = Resolve("{client-certificate: alice.crt, client-key: alice.key}");
        var fromData = Resolve($"{{client-certificate-data: {Base64(certificate)}, client-key-data: {Base64(key)}}}");

        using var presented = fromFiles.ClientCertificate()!;
        using var fromDataPresented = fromData.ClientCertificate()!;
        Assert.Multiple(() =>
        {
            Assert.That(presented.Subject, Is.EqualTo("CN=alice"));
            Assert.That(presented.HasPrivateKey, Is.True);
            Assert.That(fromDataPresented.Subject, Is.EqualTo("CN=alice"));
            Assert.That(HeaderOf(fromFiles), Is.Null);
        });
    }

    [Test]
    public void A_Credential_Plugin_Runs_With_Its_Arguments_And_Environment_And_Its_Token_Is_Kept_Until_It_Expires()
    {
        var calls = Path.Combine(dir.Path, "calls");
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        Script("plugin", $$$"""
            echo "$1 $REGION" >> {{{calls}}}
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-plugin","expirationTimestamp":"{{{expires}}}"}}'
            """);

        var access = Resolve("exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./plugin, args: [get-token], env: [{name: REGION, value: eu}]}");

        Assert.Multiple(() =>
        {
            Assert.That(HeaderOf(access), Is.EqualTo("Bearer from-plugin"));
            Assert.That(HeaderOf(access), Is.EqualTo("Bearer from-plugin"));
            Assert.That(File.ReadAllLines(calls), Is.EqualTo(new[] { "get-token eu" }), "run once, its answer kept until it expires");
        });
    }

    [Test]
    public void An_Expired_Plugin_Token_Is_Asked_For_Again()
    {
        var calls = Path.Combine(dir.Path, "calls");
        Script("plugin", $$$"""
            echo x >> {{{calls}}}
            echo '{"kind":"ExecCredential","status":{"token":"t-'$(wc -l < {{{calls}}})'","expirationTimestamp":"2020-01-01T00:00:00Z"}}'
            """);

        var access = Resolve("exec: {command: ./plugin}");

        Assert.That(HeaderOf(access), Is.EqualTo("Bearer t-2"), "the token resolved at open had already expired");
    }

    [Test]
    public void A_Failing_Credential_Plugin_Is_Reported_With_What_It_Said_And_Never_Its_Output()
    {
        Script("plugin", """
            echo '{"status":{"token":"half-printed-secret"}' 
            echo "your session expired, run 'corp-login'" >&2
            exit 3
            """);
        var loaded = Kubeconfig("exec: {command: ./plugin}");

        var error = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(loaded, "ctx"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.AuthProviderFailed));
            Assert.That(error.Message, Does.Contain("'me'").And.Contain("'ctx'"));
            Assert.That(error.Detail, Does.Contain("exited with code 3").And.Contain("your session expired, run 'corp-login'"));
            Assert.That(error.Hint, Does.Contain("login"));
            Assert.That(error.Message + error.Detail + error.Hint, Does.Not.Contain("half-printed-secret"));
        });
    }

    [Test]
    public void A_Missing_Credential_Plugin_Names_It_And_Its_Install_Hint()
    {
        var error = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(Kubeconfig("exec: {command: no-such-login-tool, installHint: 'brew install corp-login'}"), "ctx"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.AuthProviderFailed));
            Assert.That(error.Detail, Does.Contain("'no-such-login-tool' could not be started").And.Contain("brew install corp-login"));
        });
    }

    [Test]
    public void Certificate_Authorities_Come_From_Data_Or_A_File_And_None_Means_The_Systems_Trust()
    {
        var (ca, _) = SelfSigned("CN=cluster-ca");
        dir.File("ca.crt", ca);

        var fromFile = Resolve("token: t", "certificate-authority: ca.crt");
        var fromData = Resolve("token: t", $"certificate-authority-data: {Base64(ca)}");
        var none = Resolve("token: t", "tls-server-name: api.internal");
        var skip = Resolve("token: t", "insecure-skip-tls-verify: true");

        Assert.Multiple(() =>
        {
            Assert.That(fromFile.Authorities!.Single().Subject, Is.EqualTo("CN=cluster-ca"));
            Assert.That(fromData.Authorities!.Single().Subject, Is.EqualTo("CN=cluster-ca"));
            Assert.That(none.Authorities, Is.Null);
            Assert.That((none.TlsServerName, none.SkipTlsVerify), Is.EqualTo(("api.internal", false)));
            Assert.That(skip.SkipTlsVerify, Is.True);
        });
    }

    [Test]
    public void KubernetesClients_Configuration_Is_Made_From_The_Same_Resolution()
    {
        var (ca, _) = SelfSigned("CN=cluster-ca");
        var (certificate, key) = SelfSigned("CN=alice");
        dir.File("token", "from-file");
        var access = Resolve($"{{tokenFile: token, client-certificate-data: {Base64(certificate)}, client-key-data: {Base64(key)}}}", $"certificate-authority-data: {Base64(ca)}");

        var config = KubernetesClientSetup.Configuration(access, "team");
        var header = config.TokenProvider!.GetAuthenticationHeaderAsync(CancellationToken.None).GetAwaiter().GetResult();

        Assert.Multiple(() =>
        {
            Assert.That(config.Host, Is.EqualTo("https://127.0.0.1:6443"));
            Assert.That(config.Namespace, Is.EqualTo("team"));
            Assert.That(config.SslCaCerts!.Single().Subject, Is.EqualTo("CN=cluster-ca"));
            Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData!)), Is.EqualTo(certificate));
            Assert.That(header.ToString(), Is.EqualTo("Bearer from-file"));
        });
    }

    private const string Server = "server: https://127.0.0.1:6443";

    [TestCase("{}", Server, "has no credentials")]
    [TestCase("{client-certificate: missing.crt, client-key: missing.key}", Server, "missing.crt")]
    [TestCase("{client-certificate-data: Y2VydA==}", Server, "no client key")]
    [TestCase("{token: secret-token}", Server + "\n    certificate-authority-data: '%%%'", "is not base64")]
    [TestCase("{token: secret-token}", Server + "\n    certificate-authority-data: Tm8gY2VydGlmaWNhdGU=", "holds no PEM certificate")]
    [TestCase("{token: secret-token}", "insecure-skip-tls-verify: true", "has no server")]
    [TestCase("{token: secret-token}", "server: 127.0.0.1:6443", "is not an https:// or http:// URL")]
    public void An_Unusable_Context_Is_Named_With_Where_And_How_To_Fix_It_Without_Its_Secrets(string user, string cluster, string problem)
    {
        var loaded = new KubeconfigSource(dir.File("config", KubeconfigText(user, cluster)), null, null).Load();

        var error = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(loaded, "ctx"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.KubeconfigInvalid));
            Assert.That(error.Message, Does.Contain("'ctx'"));
            Assert.That(error.Detail, Does.Contain(problem));
            Assert.That(error.Hint, Is.Not.Empty);
            Assert.That(error.Message + error.Detail + error.Hint, Does.Not.Contain("secret-token"));
        });
    }

    [Test]
    public void A_Context_Naming_A_Missing_Cluster_Or_User_Says_Which_And_Where()
    {
        var file = dir.File("config", """
            clusters: [{name: c, cluster: {server: https://127.0.0.1:6443}}]
            contexts:
            - {name: no-cluster, context: {cluster: gone, user: u}}
            - {name: no-user, context: {cluster: c, user: gone}}
            users: [{name: u, user: {token: t}}]
            """);
        var loaded = new KubeconfigSource(file, null, null).Load();

        var noCluster = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(loaded, "no-cluster"))!;
        var noUser = Assert.Throws<DevSpacesException>(() => ClusterConnection.Open(loaded, "no-user"))!;

        Assert.Multiple(() =>
        {
            Assert.That(noCluster.Detail, Does.Contain("the cluster 'gone'").And.Contain($"{file}:3:"));
            Assert.That(noUser.Detail, Does.Contain("the user 'gone'").And.Contain($"{file}:4:"));
        });
    }

    [Test]
    public void A_Context_Without_A_User_Reaches_The_Server_Anonymously()
    {
        var loaded = new KubeconfigSource(dir.File("config", """
            clusters: [{name: c, cluster: {server: https://127.0.0.1:6443}}]
            contexts: [{name: ctx, context: {cluster: c}}]
            """), null, null).Load();

        Assert.That(HeaderOf(ClusterAccess.Resolve(loaded, loaded.FindContext("ctx")!)), Is.Null);
    }

    private ClusterAccess Resolve(string user, string cluster = "")
    {
        var loaded = Kubeconfig(user, cluster);
        return ClusterAccess.Resolve(loaded, loaded.FindContext("ctx")!);
    }

    private LoadedKubeconfig Kubeconfig(string user, string cluster = "") =>
        new KubeconfigSource(dir.File("config", KubeconfigText(user, Server + (cluster == "" ? "" : "\n    " + cluster))), null, null).Load();

    private static string KubeconfigText(string user, string cluster) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            {cluster}
        contexts:
        - name: ctx
          context: {"{"}cluster: c, user: me, namespace: team{"}"}
        current-context: ctx
        users:
        - name: me
          user:
            {user}
        """;

    private void Script(string name, string body)
    {
        var path = dir.File(name, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string? HeaderOf(ClusterAccess access) => access.Credentials.HeaderAsync(CancellationToken.None).GetAwaiter().GetResult()?.ToString();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static (string Certificate, string Key) SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
