namespace DevSpaces.Contracts;

/// <summary>
/// Application error codes of the contract (range 1000-1999, outside JSON-RPC's reserved range).
/// Mirrors <c>errors.codes</c> in <c>schemas/rpc.json</c>; the error's data is an <see cref="ErrorData"/>.
/// </summary>
public static class RpcErrorCode
{
    /// <summary>No kubeconfig file was found (KUBECONFIG, --kubeconfig or ~/.kube/config).</summary>
    public const int KubeconfigNotFound = 1001;

    /// <summary>The kubeconfig could not be read, or its context refers to a missing cluster or user.</summary>
    public const int KubeconfigInvalid = 1002;

    /// <summary>The named context is not in the kubeconfig, or the kubeconfig has no current context.</summary>
    public const int ContextNotFound = 1003;

    /// <summary>The API server could not be reached (DNS, connection refused, TLS, timeout).</summary>
    public const int ClusterUnreachable = 1004;

    /// <summary>The API server rejected the credentials (HTTP 401).</summary>
    public const int Unauthenticated = 1005;

    /// <summary>The exec credential plugin or auth provider failed.</summary>
    public const int AuthProviderFailed = 1006;

    /// <summary>RBAC denied the request (HTTP 403).</summary>
    public const int Forbidden = 1007;

    /// <summary>A space name is not a valid DNS-1123 label.</summary>
    public const int InvalidName = 1008;

    /// <summary>The named space (or parent) does not exist.</summary>
    public const int SpaceNotFound = 1009;

    /// <summary>A namespace or space with that name already exists.</summary>
    public const int SpaceAlreadyExists = 1010;

    /// <summary>The space has child spaces and recursive was not requested.</summary>
    public const int SpaceHasChildren = 1011;

    /// <summary>The namespace exists but is not a space.</summary>
    public const int NotASpace = 1012;

    /// <summary>The request needs a selected space and none is selected.</summary>
    public const int NoSpaceSelected = 1013;

    /// <summary>The cluster refused the change because of a conflicting state (HTTP 409).</summary>
    public const int Conflict = 1014;

    /// <summary>Any other failure reported by the API server.</summary>
    public const int ClusterError = 1015;

    /// <summary>The workspace's .devspaces/state.json could not be read or written.</summary>
    public const int WorkspaceStateInvalid = 1016;

    /// <summary>Something failed that DevSpaces did not expect; the message names the operation, the cause and the log file with the details.</summary>
    public const int Unexpected = 1017;

    /// <summary>A port-forward target or port mapping is malformed.</summary>
    public const int InvalidPortForward = 1101;

    /// <summary>A local port to forward is taken by another process.</summary>
    public const int LocalPortInUse = 1102;

    /// <summary>The pod, Deployment or Service to forward to does not exist.</summary>
    public const int ForwardTargetNotFound = 1103;

    /// <summary>No pod of the forward's target is ready (pending, crash-looping, none matching).</summary>
    public const int NoReadyPod = 1104;

    /// <summary>The remote port (number or name) is not a port of the Service or pod.</summary>
    public const int UnknownRemotePort = 1105;

    /// <summary>No running forward has that id.</summary>
    public const int PortForwardNotFound = 1106;

    /// <summary>An image could not be built (context, Dockerfile or a build step).</summary>
    public const int ImageBuildFailed = 1121;

    /// <summary>An image could not be delivered to the cluster (no registry configured, push refused).</summary>
    public const int ImageDeliveryFailed = 1122;

    /// <summary>The local Docker engine cannot be reached.</summary>
    public const int DockerUnavailable = 1123;

    /// <summary>The service cannot be connected as it is (no selector, no Deployment, ambiguous container or port).</summary>
    public const int ConnectTargetInvalid = 1141;

    /// <summary>The workload is already connected by someone else; the message says who and since when.</summary>
    public const int AlreadyConnected = 1142;

    /// <summary>The connect agent could not be built, started or reached.</summary>
    public const int AgentFailed = 1143;

    /// <summary>The local side of a connect session could not be set up (hosts file not writable, a port below 1024 not allowed).</summary>
    public const int ConnectLocalSetupFailed = 1144;

    /// <summary>The devspaces.yaml to check does not exist or cannot be read.</summary>
    public const int ProjectFileNotFound = 1201;

    /// <summary>prep found nothing to prepare: the folder is missing or holds no .NET, Node.js or Java project.</summary>
    public const int ProjectNotDetected = 1202;

    /// <summary>devspaces.yaml or the manifests it names have an error; nothing was deployed.</summary>
    public const int ProjectInvalid = 1203;

    /// <summary>The service did not become ready after up deployed it (the message says which pod and why).</summary>
    public const int UpNotReady = 1204;

    /// <summary>The in-container helper could not be reached or refused a request.</summary>
    public const int HelperFailed = 1205;

    /// <summary>No service of that name is up in the space (nothing for down or up/stop to act on).</summary>
    public const int UpNotFound = 1206;

    /// <summary>Routing could not be set up or removed: the router image, its start, or a Service it fronts.</summary>
    public const int RoutingFailed = 1301;

    /// <summary>Routing is asked of a space that is not a root space (it belongs to its root's routing).</summary>
    public const int NotARootSpace = 1302;

    /// <summary>The root space has no Service routing can front (an HTTP port, a selector, a cluster IP).</summary>
    public const int NothingToRoute = 1303;

    /// <summary>Routing is not enabled on that root space.</summary>
    public const int RoutingNotEnabled = 1304;

    /// <summary>An isolated connect names a root space: only a child space has requests of its own to take over.</summary>
    public const int IsolatedNeedsChildSpace = 1305;

    /// <summary>An isolated connect names a Service the root's router does not route (no HTTP port it fronts).</summary>
    public const int ServiceNotRouted = 1306;

    /// <summary>The space named as a preview exists and is not a preview (of that parent): previews never change it.</summary>
    public const int NotAPreview = 1401;

    /// <summary>Debug mode cannot tell the service's runtime (Node.js, Java, .NET) from its command or its folder.</summary>
    public const int DebugRuntimeUnknown = 1501;

    /// <summary>What attaching a debugger needs is missing (for .NET: a debugger for the container); the message says what and how to provide it.</summary>
    public const int DebuggerMissing = 1502;
}
