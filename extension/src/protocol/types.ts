// The data the daemon sends and receives, mirroring the $defs of schemas/rpc.json.
// Nullable fields are `T | null` because the daemon always sends them (they are `required`).

/** Params of a request that takes none: an empty object. */
export type EmptyParams = Record<string, never>;

export interface InitializeParams {
  clientName: string | null;
  clientVersion: string | null;
  workspaceFolder: string | null;
}

export interface InitializeResult {
  version: string;
  protocolVersion: number;
  capabilities: string[];
  workspaceFolder: string | null;
}

export interface ErrorData {
  hint: string | null;
  detail: string | null;
  /** When the request named something ambiguous or unknown, the values it may name instead. */
  choices: string[] | null;
}

/** An application error carried inside a result or notification. */
export interface ErrorInfo {
  code: number;
  message: string;
  hint: string | null;
  detail: string | null;
}

export interface ContextInfo {
  name: string;
  cluster: string | null;
  user: string | null;
  namespace: string | null;
  server: string | null;
  isCurrent: boolean;
}

export interface ContextList {
  contexts: ContextInfo[];
  current: string | null;
  kubeconfigFiles: string[];
}

export const connectionStates = ['connecting', 'connected', 'failed'] as const;
export type ConnectionState = (typeof connectionStates)[number];

export interface ConnectionStatus {
  state: ConnectionState;
  context: string | null;
  server: string | null;
  serverVersion: string | null;
  error: ErrorInfo | null;
}

export interface UseContextParams {
  name: string;
}

export interface SpaceInfo {
  name: string;
  parent: string | null;
  phase: string;
  isSelected: boolean;
  children: SpaceInfo[];
  /** The space's URL when its root is routed (opening it sets the routing key); null otherwise. */
  url?: string | null;
}

export interface SpaceTree {
  context: string | null;
  selected: string | null;
  roots: SpaceInfo[];
  /** One line when the list is partial (no right to list namespaces); null when complete. */
  note: string | null;
}

export interface CreateSpaceParams {
  name: string;
  parent: string | null;
}

export interface CreateSpaceResult {
  name: string;
  parent: string | null;
  namespaceCreated: boolean;
}

export interface SelectSpaceParams {
  name: string | null;
}

export interface Selection {
  context: string | null;
  space: string | null;
  workspaceFolder: string | null;
  reason: string | null;
}

export interface DeleteSpaceParams {
  name: string;
  recursive: boolean;
}

export interface DeleteSpaceResult {
  deleted: string[];
  selectionCleared: boolean;
  message: string;
}

export interface ListServicesParams {
  space: string | null;
}

export interface ServicePortInfo {
  name: string | null;
  port: number;
  targetPort: string | null;
  protocol: string;
  nodePort: number | null;
  /** The port the pods' container listens on (a named target port resolved from the pods); null when unknown. */
  containerPort: number | null;
}

export interface ServiceInfo {
  name: string;
  type: string;
  clusterIP: string | null;
  ports: ServicePortInfo[];
}

export interface ServiceList {
  space: string;
  services: ServiceInfo[];
}

export const changeKinds = ['added', 'modified', 'deleted'] as const;
export type ChangeKind = (typeof changeKinds)[number];

export interface SpaceChange {
  kind: ChangeKind;
  name: string;
  parent: string | null;
  phase: string;
}

export interface ServiceChange {
  kind: ChangeKind;
  space: string;
  name: string;
}

export interface StartConnectParams {
  service: string;
  localPort: number;
  space: string | null;
  container: string | null;
  /** Copy the container's configMap/secret/projected/downwardAPI mounts to a session folder; default true. */
  mounts?: boolean;
  /** Add a hosts-file section so service names resolve to their own loopback addresses; default false. */
  hosts?: boolean;
  /** Keep the original replicas running and point only the Service's selector at the agent; default false. */
  keepOriginal?: boolean;
  /** Give the agent the container's HTTP/TCP probes, answered by the local process; default false. */
  forwardProbes?: boolean;
  /** Take the service over for the child space only (its routed requests); the parents' pods are not changed; default false. */
  isolated?: boolean;
}

export interface StopConnectParams {
  session: string;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
}

export interface ConnectEndpoint {
  service: string;
  namespace: string;
  portName: string | null;
  servicePort: number;
  localPort: number;
  /** With the hosts-file section: the service's own loopback address, answering on servicePort. */
  hostAddress: string | null;
}

export interface ConnectMount {
  containerPath: string;
  /** The copy on this machine; null when not copied. */
  localPath: string | null;
  volume: string;
  kind: string;
  note: string | null;
}

export const workloadKinds = ['deployment', 'statefulSet'] as const;
export type WorkloadKind = (typeof workloadKinds)[number];

/** The workload a connect session took over. */
export interface WorkloadInfo {
  kind: WorkloadKind;
  name: string;
}

export interface ConnectInfo {
  session: string;
  space: string;
  service: string;
  workload: WorkloadInfo;
  container: string;
  localPort: number;
  owner: string;
  startedAt: string;
  environment: EnvironmentVariable[];
  endpoints: ConnectEndpoint[];
  mounts: ConnectMount[];
}

export interface ConnectList {
  sessions: ConnectInfo[];
}

export const connectEventKinds = [
  'progress',
  'connected',
  'tunnelLost',
  'reconnected',
  'localPortNotListening',
  'outboundFailed',
  'restored',
  'cleaned',
  'warning',
] as const;
export type ConnectEventKind = (typeof connectEventKinds)[number];

export interface ConnectEventInfo {
  session: string | null;
  service: string;
  kind: ConnectEventKind;
  message: string;
  time: string;
}

export interface StartPortForwardParams {
  /** pod/NAME, deployment/NAME, service/NAME or a pod name; NAMESPACE/KIND/NAME names the namespace. */
  target: string;
  /** Each LOCAL:REMOTE, :REMOTE (any free local port) or PORT; REMOTE may be a port name. */
  ports: string[];
  /** Namespace when the target names none; null: the selected space. */
  space?: string | null;
  /** Local address to bind; null: 127.0.0.1. */
  address?: string | null;
}

export interface StopPortForwardParams {
  id: string;
}

export interface ForwardedPortInfo {
  address: string;
  localPort: number;
  /** Number or port name, as requested. */
  remotePort: string;
}

export interface PortForwardInfo {
  id: string;
  target: string;
  namespace: string;
  ports: ForwardedPortInfo[];
  /** The pod new connections go to; null while none is ready. */
  pod: string | null;
  activeConnections: number;
}

export interface PortForwardList {
  forwards: PortForwardInfo[];
}

export const forwardEventKinds = [
  'listening',
  'podSelected',
  'podSwitched',
  'noReadyPod',
  'connectionOpened',
  'connectionClosed',
  'connectionFailed',
  'stopped',
] as const;
export type ForwardEventKind = (typeof forwardEventKinds)[number];

export interface PortForwardEventInfo {
  forwardId: string;
  kind: ForwardEventKind;
  /** One line for the user. */
  message: string;
  /** ISO 8601, UTC. */
  time: string;
  pod: string | null;
  previousPod: string | null;
  localPort: number | null;
  remotePort: number | null;
  connectionId: number | null;
}

export interface BuildImageParams {
  /** Absolute path of the build context folder. */
  context: string;
  /** Image repository (name without tag). */
  repository: string;
  dockerfile?: string | null;
  /** Each NAME=value. */
  buildArgs?: string[] | null;
  deliver?: boolean;
  registry?: string | null;
  force?: boolean;
  /** Copied into every image/progress notification of this build. */
  operationId?: string | null;
}

export interface ImageBuildInfo {
  reference: string;
  imageId: string;
  contentHash: string;
  skipped: boolean;
  deliveredReference: string | null;
  pushed: boolean;
}

export interface ImageProgressInfo {
  operationId: string | null;
  /** buildOutput, upToDate, transfer or step. */
  kind: string;
  message: string;
  layerId: string | null;
  current: number | null;
  total: number | null;
}

export interface CheckProjectParams {
  /** Absolute path of the devspaces.yaml. */
  path: string;
  /** The editor's text; null reads the file. */
  text?: string | null;
}

export interface ProjectProblem {
  /** error: the file cannot be used; warning: it can. */
  severity: 'error' | 'warning';
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine: number;
  /** 1-based, just after the end. */
  endColumn: number;
}

export interface ProjectCheckResult {
  path: string;
  problems: ProjectProblem[];
}

export interface PrepareProjectParams {
  /** Absolute path of the service's folder; null: the workspace folder. */
  folder?: string | null;
  /** Service name; null: derived from the project. */
  service?: string | null;
}

export interface ProjectPrepResult {
  folder: string;
  /** dotnet, node or java. */
  runtime: string;
  service: string;
  /** Relative to the folder. */
  written: string[];
  /** Existing files that were kept, relative to the folder. */
  skipped: string[];
  notes: string[];
}

export interface EnableRoutingParams {
  space: string;
  host?: string | null;
  entry?: string | null;
}

export interface DisableRoutingParams {
  space: string;
}

export interface GetTracesParams {
  space: string;
  after?: number;
  waitSeconds?: number;
  forSpace?: string | null;
}

export interface SpaceUrl {
  space: string;
  /** Opening it sets the routing key of the request chain to this space (the host carries it). */
  url: string;
}

export interface RoutingInfo {
  root: string;
  services: string[];
  entry: string | null;
  spaces: SpaceUrl[];
}

export interface RoutingDisabled {
  root: string;
  restored: string[];
}

export interface HttpTrace {
  sequence: number;
  time: string;
  asked: string | null;
  source: string;
  space: string | null;
  service: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  servedBy: string;
  /** On a request without a key that belongs to a request chain for a child space: which service's call lost the key. */
  keyDropped: KeyDrop | null;
}

/** Where a request chain for a child space lost its routing key. */
export interface KeyDrop {
  space: string;
  /** The service that must forward the routing header to the calls it makes. */
  service: string;
  servedBy: string;
  /** True: same traceparent trace id as a request with the key; false: a best guess from timing. */
  exact: boolean;
}

export interface TraceBatch {
  traces: HttpTrace[];
  next: number;
}

export interface StartUpParams {
  /** The service's folder (holding devspaces.yaml). */
  folder: string;
  space?: string | null;
  /** Local port of the forward when devspaces.yaml gives none; null: a free one. */
  localPort?: number | null;
  /** Keep syncing after the service is up; default true. */
  watch?: boolean;
  /** NAME=value each, over those of devspaces.yaml. */
  buildArgs?: string[] | null;
  /** Debug mode: the runtime's debugger on the pod's loopback, no probes, the debug port forwarded. */
  debug?: boolean;
  /** With debug: the process waits for a debugger before its first line, at every restart. */
  stopOnEntry?: boolean;
  /** With debug: the local port of the debug forward; null: a free one. */
  debugPort?: number | null;
}

export interface StopUpParams {
  id: string;
}

export interface DownParams {
  folder: string;
  space?: string | null;
}

/** A service that is up. */
export interface UpInfo {
  /** space/service: names it in up/stop and up/event. */
  id: string;
  service: string;
  space: string;
  folder: string;
  /** The forwarded port on this machine; null when devspaces.yaml forwards none. */
  url: string | null;
  image: string;
  pod: string;
  watching: boolean;
  /** How to attach a debugger when it runs in debug mode; null otherwise. */
  debug: UpDebugInfo | null;
}

export const debugRuntimes = ['node', 'java', 'dotNet'] as const;
export type DebugRuntime = (typeof debugRuntimes)[number];

/** How to attach a debugger to a service that is up in debug mode. */
export interface UpDebugInfo {
  runtime: DebugRuntime;
  /** The debug port on the pod's loopback (9229 Node.js, 5005 Java); null for .NET. */
  remotePort: number | null;
  /** The port on this machine forwarded to it; null when nothing is forwarded. */
  localPort: number | null;
  stopOnEntry: boolean;
  /** The container folder the service's folder maps to. */
  remoteRoot: string | null;
}

export interface UpList {
  services: UpInfo[];
}

export interface DownInfo {
  service: string;
  space: string;
  /** One line per object: "deleted Deployment/api", "restored Service/api". */
  actions: string[];
}

export const upEventKinds = ['step', 'build', 'log', 'synced', 'restarted', 'redeployed', 'buildFailed', 'warning', 'stopped'] as const;
export type UpEventKind = (typeof upEventKinds)[number];

export interface UpEventInfo {
  id: string | null;
  service: string;
  kind: UpEventKind;
  message: string;
  durationMs: number | null;
  time: string;
}
