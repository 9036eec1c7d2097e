using DevSpaces.Contracts;
using DevSpaces.Core.Cluster;
using DevSpaces.Core.Connect;
using DevSpaces.Core.Errors;
using DevSpaces.Core.PortForwarding;
using DevSpaces.Core.Sync;
using DevSpaces.Helper.Protocol;
using k8s;
using k8s.Models;

namespace DevSpaces.Core.Up;

/// <summary>
/// <c>devspaces exec</c>: runs a program in the code's container of a service that is up, through the in-container
/// helper (a port-forward to its loopback port and the session key of its Secret, as sync uses). The helper carries
/// the program's standard streams as frames, so the bytes arrive intact and in order both ways, its input is closed
/// when the local input ends (the API server's exec cannot say that on Kubernetes before 1.29), and its exit code
/// comes back. It needs the rights <c>up</c> needs: read the Secret and pods, create pods/portforward.
/// </summary>
public sealed class ServiceExec(ClusterConnection cluster, IPodPortConnector connector)
{
    /// <summary>Runs <paramref name="request"/> in the newest running pod of <paramref name="service"/> in <paramref name="ns"/>; its exit code.</summary>
    public async Task<int> RunAsync(string ns, string service, ExecRequest request, Stream stdin, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        await using var helper = await ConnectAsync(ns, service, cancellationToken).ConfigureAwait(false);
        try
        {
            return await helper.ExecAsync(request, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        catch (HelperException e) when (e.Message.Contains("could not start", StringComparison.Ordinal))
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"{request.Command[0]} cannot run in {service}'s container ('{ns}'): {Unwrap(e.Message)}", "Give a program the container has (an absolute path, or one on its PATH).");
        }
        catch (HelperException e)
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"Running {request.Command[0]} in {service}'s container ('{ns}') failed: {e.Message}", "Check the pod (kubectl describe pod); `devspaces up` in the service's folder deploys it anew.");
        }
    }

    /// <summary>A connection to the helper of the newest running pod of <paramref name="service"/>.</summary>
    public async Task<HelperClient> ConnectAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var upHint = $"Run `devspaces up` in the service's folder (with --debug to debug it) in space '{ns}' first.";
        var secretName = UpLabels.KeySecret(service);
        var secret = await cluster.TryCallAsync(new ClusterOperation("read", "secrets", secretName, ns), (k, ct) => k.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        if (secret?.Data?.TryGetValue(UpLabels.KeySecretKey, out var keyBytes) != true || keyBytes is not { Length: > 0 })
        {
            throw new DevSpacesException(RpcErrorCode.UpNotFound, $"Service '{service}' is not up in space '{ns}' (no {secretName} Secret: only `devspaces up` runs the helper that exec goes through).", upHint);
        }

        var selector = $"{UpLabels.Service}={service}";
        var pods = await cluster.CallAsync(new ClusterOperation("list", "pods", null, ns), (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var pod = PickPod(pods.Items) ?? throw NoRunningPod(ns, service, pods.Items, upHint);
        PodPortChannel channel;
        try
        {
            channel = await connector.ConnectAsync(ns, pod.Metadata.Name, HelperProtocol.DefaultPort, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DevSpacesException)
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"The helper in pod {pod.Metadata.Name} ('{ns}') cannot be reached: {e.Message}", "Check that the pod runs (kubectl describe pod); `devspaces up` again deploys it anew.");
        }

        try
        {
            return await HelperClient.ConnectAsync(new PodPortStream(channel), System.Text.Encoding.UTF8.GetString(keyBytes), cancellationToken).ConfigureAwait(false);
        }
        catch (HelperException e)
        {
            throw new DevSpacesException(RpcErrorCode.HelperFailed, $"The helper in pod {pod.Metadata.Name} ('{ns}') refused the connection: {e.Message}", "Run `devspaces up` in the service's folder again: it deploys the helper of this devspaces version with a fresh key.");
        }
    }

    /// <summary>The newest pod that runs and is not being deleted; null when there is none.</summary>
    public static V1Pod? PickPod(IEnumerable<V1Pod> pods) => pods
        .Where(p => p.Metadata.DeletionTimestamp == null && p.Status?.Phase == "Running")
        .OrderByDescending(p => p.Metadata.CreationTimestamp)
        .FirstOrDefault();

    private static DevSpacesException NoRunningPod(string ns, string service, IList<V1Pod> pods, string upHint)
    {
        if (pods.Count == 0)
        {
            return new DevSpacesException(RpcErrorCode.UpNotFound, $"Service '{service}' has no pods in space '{ns}' (none labelled {UpLabels.Service}={service}).", upHint);
        }

        var states = string.Join(", ", pods.Select(p => $"{p.Metadata.Name} {(p.Metadata.DeletionTimestamp != null ? "Terminating" : p.Status?.Phase ?? "Unknown")}"));
        return new DevSpacesException(RpcErrorCode.UpNotFound, $"Service '{service}' has no running pod in space '{ns}' ({states}).", $"Wait until it runs, or see why with: kubectl describe pods -n {ns} -l {UpLabels.Service}={service}");
    }

    private static string Unwrap(string message)
    {
        var start = message.IndexOf("could not start", StringComparison.Ordinal);
        return message[start..].TrimEnd('.');
    }
}
