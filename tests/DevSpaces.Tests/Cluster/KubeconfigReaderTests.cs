using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Kubeconfig;
using DevSpaces.Core.Errors;
using DevSpaces.Tests.Support;

namespace DevSpaces.Tests.Cluster;

/// <summary>The kubeconfig file as read: every entry and field the daemon uses, relative paths, and what a malformed file is told.</summary>
public class KubeconfigReaderTests
{
    private TempDirectory dir = null!;

    [SetUp]
    public void CreateDirectory() => dir = new TempDirectory();

    [TearDown]
    public void RemoveDirectory() => dir.Dispose();

    [Test]
    public void Every_Field_The_Daemon_Uses_Is_Read_And_Unknown_Keys_Are_Ignored()
    {
        var file = dir.File("config", """
            apiVersion: v1
            kind: Config
            preferences: {}
            current-context: dev
            clusters:
            - name: c1
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority: certs/ca.crt
                insecure-skip-tls-verify: true
                tls-server-name: api.internal
                extensions: [{name: x, extension: {}}]
            - name: c2
              cluster:
                server: "https://10.0.0.2"
                certificate-authority-data: Q0E=
            contexts:
            - name: dev
              context: {cluster: c1, user: u1, namespace: team}
            users:
            - name: u1
              user:
                client-certificate: u1.crt
                client-key: /abs/u1.key
                token: t0k3n
                tokenFile: token
                username: admin
                password: s3cret
                client-certificate-data: Y2VydA==
                client-key-data: a2V5
            - name: u2
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: bin/login
                  args: [get-token, --cluster, dev]
                  env:
                  - name: REGION
                    value: eu
                  installHint: install login
            - name: u3
              user:
                auth-provider:
                  name: oidc
                  config: {client-id: k, idp-issuer-url: https://idp}
            """);

        var config = KubeconfigReader.ReadFile(file);

        var c1 = config.Clusters[0];
        var u1 = config.Users[0];
        var exec = config.Users[1].Exec!;
        Assert.Multiple(() =>
        {
            Assert.That(config.CurrentContext, Is.EqualTo("dev"));
            Assert.That(config.Contexts.Single(), Is.EqualTo(new KubeconfigContext("dev", "c1", "u1", "team", new KubeconfigPlace(file, 18, 3))));
            Assert.That((c1.Server, c1.CertificateAuthority, c1.InsecureSkipTlsVerify, c1.TlsServerName), Is.EqualTo(("https://10.0.0.1:6443", Path.Combine(dir.Path, "certs", "ca.crt"), true, "api.internal")));
            Assert.That((config.Clusters[1].Server, config.Clusters[1].CertificateAuthorityData, config.Clusters[1].InsecureSkipTlsVerify), Is.EqualTo(("https://10.0.0.2", "Q0E=", false)));
            Assert.That((u1.ClientCertificate, u1.ClientKey, u1.TokenFile), Is.EqualTo((Path.Combine(dir.Path, "u1.crt"), "/abs/u1.key", Path.Combine(dir.Path, "token"))), "paths relative to the file's folder");
            Assert.That((u1.Token, u1.Username, u1.Password, u1.ClientCertificateData, u1.ClientKeyData), Is.EqualTo(("t0k3n", "admin", "s3cret", "Y2VydA==", "a2V5")));
            Assert.That(exec.Command, Is.EqualTo(Path.Combine(dir.Path, "bin", "login")), "a command with a path is relative to the kubeconfig, as for kubectl");
            Assert.That(exec.Arguments, Is.EqualTo(new[] { "get-token", "--cluster", "dev" }));
            Assert.That(exec.Environment, Is.EqualTo(new[] { new KeyValuePair<string, string>("REGION", "eu") }));
            Assert.That((exec.ApiVersion, exec.InstallHint), Is.EqualTo(("client.authentication.k8s.io/v1beta1", "install login")));
            Assert.That(config.Users[2].AuthProvider!.Name, Is.EqualTo("oidc"));
            Assert.That(config.Users[2].AuthProvider!.Config["idp-issuer-url"], Is.EqualTo("https://idp"));
            Assert.That(u1.ToString(), Does.Not.Contain("t0k3n").And.Not.Contain("s3cret"), "an entry never prints its credentials");
        });
    }

    [Test]
    public void A_Bare_Command_Is_Looked_Up_On_Path_And_Null_Values_Are_Absent()
    {
        var config = KubeconfigReader.Read("/k/config", """
            current-context: ~
            contexts:
            - name: a
              context:
            users:
            - name: u
              user:
                exec: {command: kubelogin, env: null, args: null}
                token: null
            """);
        Assert.Multiple(() =>
        {
            Assert.That(config.CurrentContext, Is.Null);
            Assert.That(config.Contexts.Single().Cluster, Is.Null);
            Assert.That(config.Users.Single().Exec!.Command, Is.EqualTo("kubelogin"));
            Assert.That(config.Users.Single().Token, Is.Null);
            Assert.That(config.Clusters, Is.Empty);
        });
    }

    [TestCase("clusters: [ {\n", 2, "not valid YAML")]
    [TestCase("- just\n- a list\n", 1, "the kubeconfig must be a mapping")]
    [TestCase("apiVersion: v1\nusers: secret-value\n", 2, "'users' must be a list of entries")]
    [TestCase("contexts:\n- context: {cluster: c}\n", 2, "an entry of 'contexts' has no name")]
    [TestCase("clusters:\n- name: c\n  cluster:\n    server: [a, b]\n", 4, "'server' must be a single value")]
    [TestCase("clusters:\n- name: c\n  cluster:\n    insecure-skip-tls-verify: maybe\n", 4, "must be true or false")]
    [TestCase("users:\n- name: u\n  user:\n    exec:\n      args: --flag\n", 5, "'args' must be a list")]
    public void A_Malformed_Kubeconfig_Names_The_File_Line_And_Problem(string text, int line, string problem)
    {
        var file = dir.File("config", text);

        var error = Assert.Throws<KubeconfigUnusableException>(() => KubeconfigReader.ReadFile(file))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.StartWith($"{file}:{line}:"));
            Assert.That(error.Message, Does.Contain(problem));
            Assert.That(error.Message, Does.Not.Contain("secret-value"), "a misplaced value is never shown");
            Assert.That(error.Hint, Does.Contain("kubectl config view"));
        });
    }

    [Test]
    public void An_Empty_Kubeconfig_Says_So_Through_The_Source()
    {
        var file = dir.File("config", "# nothing yet\n");

        var error = Assert.Throws<DevSpacesException>(() => new KubeconfigSource(file, null, null).Load())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.KubeconfigInvalid));
            Assert.That(error.Detail, Does.Contain(file).And.Contain("is empty"));
        });
    }

    [Test]
    public void Merged_Files_Keep_Paths_Relative_To_Their_Own_Folder()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "a"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "b"));
        var first = dir.File("a/config", "users:\n- name: u1\n  user: {client-certificate: u.crt, client-key: u.key}\n");
        var second = dir.File("b/config", "users:\n- name: u1\n  user: {token: ignored}\n- name: u2\n  user: {tokenFile: token}\n");

        var loaded = new KubeconfigSource(null, $"{first}{Path.PathSeparator}{second}", null).Load();

        Assert.Multiple(() =>
        {
            Assert.That(loaded.Users.Select(u => u.Name), Is.EqualTo(new[] { "u1", "u2" }), "the first file naming an entry wins");
            Assert.That(loaded.Users[0].ClientCertificate, Is.EqualTo(Path.Combine(dir.Path, "a", "u.crt")));
            Assert.That(loaded.Users[0].Token, Is.Null);
            Assert.That(loaded.Users[1].TokenFile, Is.EqualTo(Path.Combine(dir.Path, "b", "token")));
        });
    }
}
