using DevSpaces.Contracts;
using DevSpaces.Core.Errors;

namespace DevSpaces.Core.Connect;

/// <summary>The user-visible failures of connect, in one place.</summary>
public static class ConnectErrors
{
    public static DevSpacesException ServiceNotFound(string service, string ns) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"There is no Service '{service}' in namespace '{ns}'.",
        $"List the services with 'devspaces service list --space {ns}' and pick one of them.");

    public static DevSpacesException NoSelector(string service, string ns) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"Service '{service}' in namespace '{ns}' has no selector: its endpoints are managed by hand, so there is no workload to stand in for.",
        "Connect a Service that selects its pods with spec.selector.");

    public static DevSpacesException NoWorkload(string service, string ns, string selector) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"No Deployment or StatefulSet in namespace '{ns}' runs the pods of Service '{service}' (selector {selector}).",
        "Connect works with Deployments and StatefulSets whose pod labels match the Service's selector; check the labels with 'kubectl get deploy,sts --show-labels'.");

    public static DevSpacesException SeveralWorkloads(string service, string ns, IEnumerable<string> workloads) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"Several workloads in namespace '{ns}' run pods of Service '{service}': {string.Join(", ", workloads)}. Connect stands in for one workload's container, and these may run different code.",
        "Connect a Service that selects one of them (e.g. one whose selector adds that workload's own label), or scale the others to 0 first.");

    public static DevSpacesException ContainerNotFound(Workload workload, string container, IReadOnlyList<string> names) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"{workload.Kind} '{workload.Name}' has no container '{container}'; it has {string.Join(", ", names)}.",
        "Pass one of these with --container.",
        choices: names);

    public static DevSpacesException ContainerAmbiguous(Workload workload, IReadOnlyList<string> names) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"{workload.Kind} '{workload.Name}' has several containers ({string.Join(", ", names)}) and the Service's ports do not tell which one to run locally.",
        "Choose one with --container <name>.",
        choices: names);

    public static DevSpacesException NamedPortNotFound(string service, string port, string container) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"Service '{service}' sends traffic to the port named '{port}', but container '{container}' declares no port with that name.",
        "Name the port in the container's ports list, or use a numbered targetPort in the Service.");

    public static DevSpacesException NoTcpPorts(string service, IEnumerable<string> ports) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"Service '{service}' has no TCP ports ({string.Join(", ", ports)}); connect carries TCP only.",
        "Connect a Service with at least one TCP port.");

    public static DevSpacesException AlreadyConnected(string service, string owner, DateTimeOffset since, string session) => new(
        RpcErrorCode.AlreadyConnected,
        $"Service '{service}' is already connected by {owner} since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC (session {session}).",
        "Wait until they disconnect (their agent restores the service within seconds if their machine is gone), or work in your own child space.");

    public static DevSpacesException SelectorChanged(string service) => new(
        RpcErrorCode.Conflict,
        $"The selector of Service '{service}' changed while connecting, so its original could not be recorded safely.",
        "Try again; if something keeps editing the Service, connect without --keep-original.");

    public static DevSpacesException AgentNotReady(string what, string why) => new(
        RpcErrorCode.AgentFailed,
        $"The connect agent did not become ready: {why}.",
        what);

    public static DevSpacesException AgentImageMissing(string image, string why) => new(
        RpcErrorCode.AgentFailed,
        $"The cluster cannot run the connect agent image {image}: {why}.",
        "The image is built on this machine's Docker engine; if the cluster does not share it, set images.registry so it is pushed, or check that the base image (DEVSPACES_AGENT_BASE_IMAGE) exists.");

    public static DevSpacesException TunnelFailed(string why) => new(
        RpcErrorCode.AgentFailed,
        $"Could not open the tunnel to the connect agent: {why}.",
        "Check that port-forward works against this cluster (kubectl port-forward); the session restores the service if the tunnel cannot be opened.");

    public static DevSpacesException HostsFileNotWritable(string path, string why) => new(
        RpcErrorCode.ConnectLocalSetupFailed,
        $"--hosts needs to write the hosts file {path}, and it cannot: {why.TrimEnd('.')}.",
        $"Run the connect command with the right to write {path} (e.g. sudo), or connect without --hosts: the service URLs and *_SERVICE_HOST/PORT variables in the environment point at the local endpoints anyway.");

    public static DevSpacesException PortNotAllowed(string service, string address, int port, string why) => new(
        RpcErrorCode.ConnectLocalSetupFailed,
        $"--hosts needs to listen on {address}:{port} for service {service}, and this process may not: {why.TrimEnd('.')}.",
        port < 1024
            ? "Ports below 1024 need privileges: run with sudo, or allow them for everyone with 'sudo sysctl net.ipv4.ip_unprivileged_port_start=0', or connect without --hosts."
            : "Free the port, or connect without --hosts.");

    public static DevSpacesException LoopbackAddressUnavailable(string address, string why) => new(
        RpcErrorCode.ConnectLocalSetupFailed,
        $"--hosts gives each service its own loopback address, and {address} cannot be used here: {why.TrimEnd('.')}.",
        $"Linux routes all of 127.0.0.0/8 to the loopback interface; elsewhere add the address first (macOS: 'sudo ifconfig lo0 alias {address}'), or connect without --hosts.");

    public static DevSpacesException IsolatedNeedsChildSpace(string space, string service) => new(
        RpcErrorCode.IsolatedNeedsChildSpace,
        $"An isolated connect takes '{service}' over for one child space's requests, and '{space}' is a root space: every request without a routing key reaches it.",
        $"Connect in your child space: create one with 'devspaces space create <name> --parent {space}' and pass --space <name>; or connect without --isolated to take '{service}' over for everyone.");

    public static DevSpacesException RootNotRouted(string space, string root, string service) => new(
        RpcErrorCode.RoutingNotEnabled,
        $"An isolated connect needs routing on root space '{root}': without its router nothing sends only the requests of '{space}' to this machine.",
        $"Enable it once with 'devspaces routing enable --space {root}' (needs the right to create Roles there), or connect without --isolated to take '{service}' over for everyone.");

    public static DevSpacesException ServiceNotRouted(string service, string root) => new(
        RpcErrorCode.ServiceNotRouted,
        $"The router of root space '{root}' does not route Service '{service}', so its requests cannot be told apart by space.",
        $"Routing fronts HTTP Services: give '{service}' a port named 'http' (or 'http-...', appProtocol http) and run 'devspaces routing enable --space {root}' again; or connect without --isolated.");

    public static DevSpacesException SpaceNotRouted(string space, string root) => new(
        RpcErrorCode.RoutingNotEnabled,
        $"The router of root space '{root}' does not know space '{space}' yet (it was made by other means than devspaces), so it would not send its requests here.",
        $"Refresh the router's space tree with 'devspaces routing enable --space {root}'.");

    public static DevSpacesException KeepOriginalOfRoutedService(string service, string ns) => new(
        RpcErrorCode.ConnectTargetInvalid,
        $"Service '{service}' of '{ns}' is fronted by the router: --keep-original would point it past the router, and every space's requests would reach this machine.",
        $"Connect in your child space with --isolated (only its requests reach this machine, the pods keep running), or without --keep-original.");
}
