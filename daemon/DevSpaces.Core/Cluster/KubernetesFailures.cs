using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using DevSpaces.Contracts;
using DevSpaces.Core.Cluster.Api;
using DevSpaces.Core.Cluster.Kubeconfig;
using DevSpaces.Core.Errors;
using k8s.Autorest;
using k8s.Exceptions;

namespace DevSpaces.Core.Cluster;

/// <summary>
/// The one place that turns failures of the Kubernetes clients (HTTP statuses, network and TLS errors,
/// credential plugins) into <see cref="DevSpacesException"/>s with a fix suggestion. KubernetesClient's exceptions are
/// looked at in methods of their own, reached only for an exception of that library, so that the idle daemon's
/// failures (from <see cref="ApiServerClient"/>) never load it.
/// </summary>
public static class KubernetesFailures
{
    public static DevSpacesException Translate(Exception error, ClusterOperation operation, ClusterTarget target)
    {
        switch (error)
        {
            case DevSpacesException known:
                return known;
            case ApiStatusException api:
                return FromStatus(api.StatusCode, api.Status, api.Status?.Message ?? api.Content ?? api.Message, api, operation, target);
            case CredentialPluginException plugin:
                return AuthProvider(plugin, target);
            case KubeconfigUnusableException unusable:
                return new DevSpacesException(
                    RpcErrorCode.KubeconfigInvalid,
                    $"Context '{target.Context}' cannot be used to {operation.Describe()}.",
                    unusable.Hint,
                    unusable.Message,
                    unusable);
        }

        if (IsKubernetesClients(error) && FromKubernetesClient(error, operation, target) is { } translated)
        {
            return translated;
        }

        if (FindNetworkCause(error) is { } cause)
        {
            return Unreachable(cause, operation, target);
        }

        return new DevSpacesException(
            RpcErrorCode.ClusterError,
            $"Could not {operation.Describe()} in context '{target.Context}': {error.Message.ReplaceLineEndings(" ").Trim()}",
            "Retry, or check the cluster with kubectl.",
            UnexpectedFailure.Cause(error),
            error);
    }

    /// <summary>RBAC refuses <paramref name="operation"/>: the verb and resource that are missing, and who can grant them.</summary>
    public static DevSpacesException Forbidden(ClusterOperation operation, ClusterTarget target, string? serverMessage, Exception? inner = null) => new(
        RpcErrorCode.Forbidden,
        $"Not allowed to {operation.Describe()}: user '{target.User}' in context '{target.Context}' lacks the RBAC permission '{operation.Verb}' on '{operation.Resource}'.",
        $"Ask a cluster administrator for a Role or ClusterRole granting '{operation.Verb}' on '{operation.Resource}'{(operation.Namespace == null ? "" : $" in namespace '{operation.Namespace}'")}, or use a context whose user has it.",
        serverMessage,
        inner);

    /// <summary>The timeout of a call expired before the API server answered.</summary>
    public static DevSpacesException TimedOut(ClusterOperation operation, ClusterTarget target, TimeSpan timeout) =>
        new(RpcErrorCode.ClusterUnreachable,
            $"The API server {target.Server} of context '{target.Context}' did not answer within {timeout.TotalSeconds:0} s (trying to {operation.Describe()}).",
            UnreachableHint(target));

    /// <summary>Whether the API server answered that the object does not exist (404), through either client.</summary>
    public static bool IsNotFound(Exception error) => error switch
    {
        ApiStatusException api => api.StatusCode == HttpStatusCode.NotFound,
        _ => IsKubernetesClients(error) && StatusOfKubernetesClient(error) == HttpStatusCode.NotFound,
    };

    private static bool IsKubernetesClients(Exception error) =>
        error.GetType().Namespace is { } ns && (ns == "k8s" || ns.StartsWith("k8s.", StringComparison.Ordinal));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HttpStatusCode? StatusOfKubernetesClient(Exception error) => (error as HttpOperationException)?.Response?.StatusCode;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static DevSpacesException? FromKubernetesClient(Exception error, ClusterOperation operation, ClusterTarget target)
    {
        switch (error)
        {
            case HttpOperationException http:
                var content = http.Response?.Content;
                var status = ApiServerClient.ReadStatus(content);
                return FromStatus(http.Response?.StatusCode, status, status?.Message ?? content ?? http.Message, http, operation, target);
            case KubeConfigException config:
                return AuthProvider(config, target);
            case KubernetesClientException { InnerException: KubeConfigException config }:
                return AuthProvider(config, target);
            default:
                return null;
        }
    }

    private static DevSpacesException FromStatus(HttpStatusCode? code, ApiStatus? status, string serverMessage, Exception inner, ClusterOperation operation, ClusterTarget target)
    {
        switch (code)
        {
            case HttpStatusCode.Unauthorized:
                return new DevSpacesException(
                    RpcErrorCode.Unauthenticated,
                    $"The API server {target.Server} rejected the credentials of user '{target.User}' (context '{target.Context}'): 401 Unauthorized.",
                    "The token or certificate is expired or invalid: log in again or refresh the kubeconfig (your provider's get-credentials command), or choose another context.",
                    serverMessage,
                    inner);
            case HttpStatusCode.Forbidden:
                return Forbidden(operation, target, serverMessage, inner);
            case HttpStatusCode.NotFound:
                return operation.NotFound?.Invoke(operation) ?? new DevSpacesException(
                    RpcErrorCode.ClusterError,
                    $"Could not {operation.Describe()}: it does not exist in context '{target.Context}'.",
                    "Refresh the list; it may have been deleted.",
                    serverMessage,
                    inner);
            case HttpStatusCode.Conflict when status?.Reason == "AlreadyExists" && operation.AlreadyExists != null:
                return operation.AlreadyExists(operation);
            case HttpStatusCode.Conflict:
                return new DevSpacesException(
                    RpcErrorCode.Conflict,
                    $"Could not {operation.Describe()}: the cluster reports a conflict ({status?.Reason ?? "Conflict"}).",
                    "It may be being deleted or changed by someone else; wait a moment and retry.",
                    serverMessage,
                    inner);
            case HttpStatusCode.UnprocessableEntity when status?.Message is { Length: > 0 } invalid:
                return new DevSpacesException(
                    RpcErrorCode.ClusterError,
                    $"Could not {operation.Describe()} in context '{target.Context}': the API server refused it as invalid: {invalid}",
                    "Fix what the API server names in the object (its manifest), then retry.",
                    serverMessage,
                    inner);
            default:
                return new DevSpacesException(
                    RpcErrorCode.ClusterError,
                    $"Could not {operation.Describe()} in context '{target.Context}': the API server answered {(int?)code} {code}.",
                    "Retry; if it persists, check the API server's health (kubectl get --raw /readyz).",
                    serverMessage,
                    inner);
        }
    }

    private static DevSpacesException AuthProvider(Exception error, ClusterTarget target) =>
        new(RpcErrorCode.AuthProviderFailed,
            $"The credential plugin of user '{target.User}' (context '{target.Context}') failed.",
            "Run the plugin's login command (see the kubeconfig's users[].exec), check it is on PATH, then retry.",
            error.InnerException == null ? error.Message : $"{error.Message} {error.InnerException.Message}",
            error);

    private static DevSpacesException Unreachable(Exception cause, ClusterOperation operation, ClusterTarget target)
    {
        var what = cause is AuthenticationException ? "TLS handshake with" : "Cannot reach";
        return new DevSpacesException(
            RpcErrorCode.ClusterUnreachable,
            $"{what} the API server {target.Server} of context '{target.Context}' (trying to {operation.Describe()}).",
            UnreachableHint(target),
            cause.Message,
            cause);
    }

    private static string UnreachableHint(ClusterTarget target) =>
        $"Check that the cluster is running and reachable from this machine (VPN, proxy, firewall); 'kubectl --context {target.Context} cluster-info' shows the same. Or choose another context.";

    private static Exception? FindNetworkCause(Exception error)
    {
        for (Exception? e = error; e != null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or AuthenticationException or IOException)
            {
                return e;
            }
        }

        return null;
    }
}
