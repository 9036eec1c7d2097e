using System.Net;
using System.Net.Sockets;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Errors;
using k8s.Autorest;
using k8s.Exceptions;

namespace DevSpaces.Tests.Cluster;

/// <summary>How client failures become user-visible errors (statuses as the Kubernetes client reports them).</summary>
public class KubernetesFailuresTests
{
    private static readonly ClusterTarget Target = new("dev-cluster", "https://api.example:6443", "alice");
    private static readonly ClusterOperation CreateNamespace = new("create", "namespaces", "team-a");

    private static HttpOperationException Http(HttpStatusCode code, string reason, string message) =>
        new($"Operation returned an invalid status code '{code}'")
        {
            Response = new HttpResponseMessageWrapper(
                new HttpResponseMessage(code),
                $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{(int)code}}}"""),
        };

    /// <summary>The same answer as the daemon's own client reports it.</summary>
    private static ApiStatusException Api(HttpStatusCode code, string reason, string message)
    {
        var content = $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{(int)code}}}""";
        return new ApiStatusException(code, ApiServerClient.ReadStatus(content), content, $"The API server answered GET /x with {(int)code}.");
    }

    [TestCase(HttpStatusCode.Unauthorized, "Unauthorized")]
    [TestCase(HttpStatusCode.Forbidden, "Forbidden")]
    [TestCase(HttpStatusCode.NotFound, "NotFound")]
    [TestCase(HttpStatusCode.Conflict, "AlreadyExists")]
    [TestCase(HttpStatusCode.Conflict, "Conflict")]
    [TestCase(HttpStatusCode.UnprocessableEntity, "Invalid")]
    [TestCase(HttpStatusCode.InternalServerError, "InternalError")]
    public void Both_Clients_Answers_Become_The_Same_Error(HttpStatusCode code, string reason)
    {
        var operation = CreateNamespace with { AlreadyExists = _ => new DevSpacesException(RpcErrorCode.SpaceAlreadyExists, "taken") };
        var fromKubernetesClient = KubernetesFailures.Translate(Http(code, reason, "the server's words"), operation, Target);
        var fromOwnClient = KubernetesFailures.Translate(Api(code, reason, "the server's words"), operation, Target);

        Assert.Multiple(() =>
        {
            Assert.That(fromOwnClient.ErrorCode, Is.EqualTo(fromKubernetesClient.ErrorCode));
            Assert.That(fromOwnClient.Message, Is.EqualTo(fromKubernetesClient.Message));
            Assert.That(fromOwnClient.Hint, Is.EqualTo(fromKubernetesClient.Hint));
            Assert.That(fromOwnClient.Detail, Is.EqualTo(fromKubernetesClient.Detail));
        });
    }

    [Test]
    public void Only_A_404_Counts_As_Not_Found_From_Either_Client()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KubernetesFailures.IsNotFound(Api(HttpStatusCode.NotFound, "NotFound", "x")), Is.True);
            Assert.That(KubernetesFailures.IsNotFound(Http(HttpStatusCode.NotFound, "NotFound", "x")), Is.True);
            Assert.That(KubernetesFailures.IsNotFound(Api(HttpStatusCode.Forbidden, "Forbidden", "x")), Is.False);
            Assert.That(KubernetesFailures.IsNotFound(Http(HttpStatusCode.Forbidden, "Forbidden", "x")), Is.False);
            Assert.That(KubernetesFailures.IsNotFound(new HttpRequestException("refused")), Is.False);
        });
    }

    [Test]
    public void Forbidden_Names_The_Verb_The_Resource_And_The_User()
    {
        var error = KubernetesFailures.Translate(
            Http(HttpStatusCode.Forbidden, "Forbidden", "namespaces is forbidden: User \\\"alice\\\" cannot create resource \\\"namespaces\\\""), CreateNamespace, Target);
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.Forbidden));
            Assert.That(error.Message, Does.Contain("create namespaces 'team-a'").And.Contain("'alice'").And.Contain("'create' on 'namespaces'"));
            Assert.That(error.Detail, Does.Contain("cannot create resource \"namespaces\""), "the server's words verbatim");
            Assert.That(error.Hint, Does.Contain("Role"));
        });
    }

    [Test]
    public void Unauthorized_Means_Expired_Or_Invalid_Credentials()
    {
        var error = KubernetesFailures.Translate(Http(HttpStatusCode.Unauthorized, "Unauthorized", "Unauthorized"), CreateNamespace, Target);
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.Unauthenticated));
            Assert.That(error.Message, Does.Contain("dev-cluster").And.Contain("401"));
            Assert.That(error.Hint, Does.Contain("expired"));
        });
    }

    [Test]
    public void NotFound_Uses_The_Operations_Own_Meaning_When_It_Has_One()
    {
        var custom = CreateNamespace with { NotFound = _ => new DevSpacesException(RpcErrorCode.SpaceNotFound, "no such space") };
        Assert.Multiple(() =>
        {
            Assert.That(KubernetesFailures.Translate(Http(HttpStatusCode.NotFound, "NotFound", "x"), custom, Target).ErrorCode, Is.EqualTo(RpcErrorCode.SpaceNotFound));
            Assert.That(KubernetesFailures.Translate(Http(HttpStatusCode.NotFound, "NotFound", "x"), CreateNamespace, Target).ErrorCode, Is.EqualTo(RpcErrorCode.ClusterError));
        });
    }

    [Test]
    public void AlreadyExists_And_Other_Conflicts_Are_Told_Apart()
    {
        var custom = CreateNamespace with { AlreadyExists = _ => new DevSpacesException(RpcErrorCode.SpaceAlreadyExists, "exists") };
        Assert.Multiple(() =>
        {
            Assert.That(KubernetesFailures.Translate(Http(HttpStatusCode.Conflict, "AlreadyExists", "x"), custom, Target).ErrorCode, Is.EqualTo(RpcErrorCode.SpaceAlreadyExists));
            Assert.That(KubernetesFailures.Translate(Http(HttpStatusCode.Conflict, "Conflict", "x"), custom, Target).ErrorCode, Is.EqualTo(RpcErrorCode.Conflict));
        });
    }

    [Test]
    public void A_Refused_Connection_Is_Unreachable_With_The_Server_Address()
    {
        var error = KubernetesFailures.Translate(
            new HttpRequestException("Connection refused (api.example:6443)", new SocketException((int)SocketError.ConnectionRefused)), CreateNamespace, Target);
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.ClusterUnreachable));
            Assert.That(error.Message, Does.Contain("https://api.example:6443"));
            Assert.That(error.Hint, Does.Contain("kubectl --context dev-cluster"));
        });
    }

    [Test]
    public void A_Credential_Plugin_Failure_Keeps_Its_Message()
    {
        var error = KubernetesFailures.Translate(new KubeConfigException("exec: process exited with 1: token expired, run 'corp login'"), CreateNamespace, Target);
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(RpcErrorCode.AuthProviderFailed));
            Assert.That(error.Detail, Does.Contain("token expired, run 'corp login'"));
        });
    }

    [Test]
    public void Errors_Already_Translated_Pass_Through()
    {
        var original = new DevSpacesException(RpcErrorCode.InvalidName, "bad");
        Assert.That(KubernetesFailures.Translate(original, CreateNamespace, Target), Is.SameAs(original));
    }
}
