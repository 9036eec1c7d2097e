using DevSpaces.Contracts;
using DevSpaces.Core.Errors;
namespace DevSpaces.Core.PortForwarding;

/// <summary>The workload a forward reaches: a pod, or a Deployment/Service resolved to one of its ready pods.</summary>
public sealed record PortForwardTarget(PortForwardTargetKind Kind, string Namespace, string Name)
{
    /// <summary>
    /// Parses <c>pod/NAME</c>, <c>deployment/NAME</c> (<c>deploy/</c>), <c>service/NAME</c> (<c>svc/</c>) or a bare
    /// pod name, optionally qualified as <c>NAMESPACE/KIND/NAME</c>.
    /// </summary>
    public static PortForwardTarget Parse(string text, string defaultNamespace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parts = text.Trim().Split('/');
        var (ns, kind, name) = parts switch
        {
            [var n] => (defaultNamespace, "pod", n),
            [var k, var n] => (defaultNamespace, k, n),
            [var s, var k, var n] => (s, k, n),
            _ => throw Invalid(text),
        };
        if (name.Length == 0 || ns.Length == 0)
        {
            throw Invalid(text);
        }

        var targetKind = kind.ToLowerInvariant() switch
        {
            "pod" or "pods" or "po" => PortForwardTargetKind.Pod,
            "deployment" or "deployments" or "deploy" => PortForwardTargetKind.Deployment,
            "service" or "services" or "svc" => PortForwardTargetKind.Service,
            _ => throw Invalid(text),
        };
        return new PortForwardTarget(targetKind, ns, name);
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}/{Name} in namespace {Namespace}";

    private static DevSpacesException Invalid(string text) => new(
        RpcErrorCode.InvalidPortForward,
        $"'{text}' is not a port-forward target.",
        "Use pod/NAME, deployment/NAME or service/NAME, optionally prefixed by NAMESPACE/.");
}
