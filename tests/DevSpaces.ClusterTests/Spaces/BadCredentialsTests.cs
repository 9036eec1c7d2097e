using DevSpaces.Cli.Commands;
using DevSpaces.Contracts;
using k8s;
using k8s.Models;

namespace DevSpaces.ClusterTests.Spaces;

/// <summary>
/// Real rejections by the test cluster's API server: a ServiceAccount that may read namespaces but not
/// create them, a token the server does not know, a credential plugin that fails. Each gives a clear
/// error and leaves the daemon usable.
/// </summary>
public class BadCredentialsTests : SpaceTestBase
{
    private string? clusterRole;

    protected override async Task CleanUpMoreAsync()
    {
        if (clusterRole != null)
        {
            await Admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(clusterRole);
            await Admin.RbacAuthorizationV1.DeleteClusterRoleAsync(clusterRole);
            clusterRole = null;
        }
    }

    /// <summary>A kubeconfig for a ServiceAccount that may get, list and watch namespaces and services, and nothing else.</summary>
    private async Task<string> ReadOnlyUserKubeconfigAsync()
    {
        var home = Unique("rbac");
        await CreateNamespaceOutsideAsync(home, space: false);
        await Admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "reader" } }, home);
        clusterRole = home + "-reader";
        await Admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = clusterRole },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["namespaces", "services"], Verbs = ["get", "list", "watch"] }],
        });
        await Admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = clusterRole },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = home }],
        });
        var token = await Admin.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = 600, Audiences = [] } }, "reader", home);
        return Kubeconfig.Write(Folder.Path, "reader", [("reader", "reader")], new Dictionary<string, string> { ["reader"] = $"token: {token.Status.Token}" });
    }

    [Test]
    public async Task Rbac_Forbidden_Namespace_Create_Names_The_Verb_And_Resource_And_Leaves_The_Daemon_Usable()
    {
        var kubeconfig = await ReadOnlyUserKubeconfigAsync();
        await StartDaemonAsync(kubeconfig);
        await WaitUntilConnectedAsync();
        var name = Unique("denied");
        var error = await Daemon.ExpectErrorAsync("space/create", new { name });
        var tree = await Daemon.CallAsync<SpaceTree>("space/list");
        Assert.Multiple(async () =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.Forbidden));
            Assert.That(error.Message, Does.Contain("create namespaces").And.Contain("'reader'"));
            Assert.That(error.Detail, Does.Contain("cannot create resource \"namespaces\""), "the API server's words");
            Assert.That(error.Hint, Does.Contain("'create' on 'namespaces'"));
            Assert.That(await ReadNamespaceAsync(name), Is.Null, "nothing was created");
            Assert.That(tree.Context, Is.EqualTo("reader"), "the daemon still answers for what the user may do");
        });
    }

    [Test]
    public async Task The_CLI_Reports_Forbidden_In_One_Line_With_Exit_Code_1()
    {
        var kubeconfig = await ReadOnlyUserKubeconfigAsync();
        var stderr = new StringWriter();
        var code = await new CliApp(new StringWriter(), stderr, Folder.Path, kubeconfig, Folder.Path).RunAsync(["space", "create", Unique("clidenied")], CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stderr.ToString().TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(stderr.ToString(), Does.StartWith("devspaces: Not allowed to create namespaces").And.Contain("Fix:"));
        });
    }

    [Test]
    public async Task An_Invalid_Token_Is_Reported_As_Rejected_Credentials()
    {
        var kubeconfig = Kubeconfig.Write(Folder.Path, "bad-token", [("stale", "stale")], new Dictionary<string, string> { ["stale"] = "token: expired-or-invalid-token" });
        await StartDaemonAsync(kubeconfig);
        var failed = await Daemon.Notifications.WaitForAsync(
            n => n.Method == RpcNotifications.ConnectionStatus && n.Text("state") == "failed", WaitTimeout, "connection/status failed");
        var status = await Daemon.CallAsync<ConnectionStatus>("context/status");
        var error = await Daemon.ExpectErrorAsync("space/list");
        Assert.Multiple(() =>
        {
            Assert.That(failed.Params.GetProperty("error").GetProperty("code").GetInt32(), Is.EqualTo(RpcErrorCode.Unauthenticated));
            Assert.That(status.Error?.Code, Is.EqualTo(RpcErrorCode.Unauthenticated));
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.Unauthenticated));
            Assert.That(error.Message, Does.Contain("'stale'").And.Contain("401"));
            Assert.That(error.Hint, Does.Contain("expired or invalid"));
            Assert.That(error.Message + error.Hint + error.Detail, Does.Not.Contain("expired-or-invalid-token"), "the token is never shown");
        });
    }

    [Test]
    public async Task A_Failing_Credential_Plugin_Is_Shown_Verbatim_With_A_Hint()
    {
        var plugin = Path.Combine(Folder.Path, "corp-credentials");
        await File.WriteAllTextAsync(plugin, "#!/bin/sh\necho \"error: your session expired, run 'corp-login --refresh'\" >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var kubeconfig = Kubeconfig.Write(Folder.Path, "exec", [("corp", "corp-user")], new Dictionary<string, string>
        {
            ["corp-user"] = $"exec:\n  apiVersion: client.authentication.k8s.io/v1beta1\n  command: {plugin}",
        });
        await StartDaemonAsync(kubeconfig);
        var error = await Daemon.ExpectErrorAsync("space/list");
        var contexts = await Daemon.CallAsync<ContextList>("context/list");
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(RpcErrorCode.AuthProviderFailed));
            Assert.That(error.Message, Does.Contain("'corp-user'"));
            Assert.That(error.Detail, Does.Contain("your session expired, run 'corp-login --refresh'"));
            Assert.That(error.Hint, Does.Contain("login"));
            Assert.That(contexts.Current, Is.EqualTo("corp"), "the daemon stays usable");
        });
    }
}
