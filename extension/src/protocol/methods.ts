import { NotificationType, RequestType } from 'vscode-jsonrpc';
import { fields } from './fields';
import * as t from './types';

// Every request and notification of the daemon, declared once. The contract test compares the
// catalogue at the bottom with schemas/rpc.json, so a method added on one side only fails it.

export namespace Initialize {
  export const method = 'initialize';
  export const type = new RequestType<t.InitializeParams, t.InitializeResult, void>(method);
}
export namespace Shutdown {
  export const method = 'shutdown';
  export const type = new RequestType<t.EmptyParams, null, void>(method);
}
export namespace ListContexts {
  export const method = 'context/list';
  export const type = new RequestType<t.EmptyParams, t.ContextList, void>(method);
}
export namespace UseContext {
  export const method = 'context/use';
  export const type = new RequestType<t.UseContextParams, t.ConnectionStatus, void>(method);
}
export namespace ContextStatus {
  export const method = 'context/status';
  export const type = new RequestType<t.EmptyParams, t.ConnectionStatus, void>(method);
}
export namespace ListSpaces {
  export const method = 'space/list';
  export const type = new RequestType<t.EmptyParams, t.SpaceTree, void>(method);
}
export namespace CreateSpace {
  export const method = 'space/create';
  export const type = new RequestType<t.CreateSpaceParams, t.CreateSpaceResult, void>(method);
}
export namespace SelectSpace {
  export const method = 'space/select';
  export const type = new RequestType<t.SelectSpaceParams, t.Selection, void>(method);
}
export namespace CurrentSpace {
  export const method = 'space/current';
  export const type = new RequestType<t.EmptyParams, t.Selection, void>(method);
}
export namespace DeleteSpace {
  export const method = 'space/delete';
  export const type = new RequestType<t.DeleteSpaceParams, t.DeleteSpaceResult, void>(method);
}
export namespace ListServices {
  export const method = 'service/list';
  export const type = new RequestType<t.ListServicesParams, t.ServiceList, void>(method);
}
export namespace StartConnect {
  export const method = 'connect/start';
  export const type = new RequestType<t.StartConnectParams, t.ConnectInfo, void>(method);
}
export namespace StopConnect {
  export const method = 'connect/stop';
  export const type = new RequestType<t.StopConnectParams, null, void>(method);
}
export namespace ListConnections {
  export const method = 'connect/list';
  export const type = new RequestType<t.EmptyParams, t.ConnectList, void>(method);
}
export namespace StartPortForward {
  export const method = 'portForward/start';
  export const type = new RequestType<t.StartPortForwardParams, t.PortForwardInfo, void>(method);
}
export namespace StopPortForward {
  export const method = 'portForward/stop';
  export const type = new RequestType<t.StopPortForwardParams, t.PortForwardInfo, void>(method);
}
export namespace ListPortForwards {
  export const method = 'portForward/list';
  export const type = new RequestType<t.EmptyParams, t.PortForwardList, void>(method);
}
export namespace BuildImage {
  export const method = 'image/build';
  export const type = new RequestType<t.BuildImageParams, t.ImageBuildInfo, void>(method);
}
export namespace CheckProject {
  export const method = 'project/check';
  export const type = new RequestType<t.CheckProjectParams, t.ProjectCheckResult, void>(method);
}
export namespace PrepareProject {
  export const method = 'project/prep';
  export const type = new RequestType<t.PrepareProjectParams, t.ProjectPrepResult, void>(method);
}
export namespace EnableRouting {
  export const method = 'routing/enable';
  export const type = new RequestType<t.EnableRoutingParams, t.RoutingInfo, void>(method);
}
export namespace DisableRouting {
  export const method = 'routing/disable';
  export const type = new RequestType<t.DisableRoutingParams, t.RoutingDisabled, void>(method);
}
export namespace GetTraces {
  export const method = 'routing/traces';
  export const type = new RequestType<t.GetTracesParams, t.TraceBatch, void>(method);
}

export namespace StartUp {
  export const method = 'up/start';
  export const type = new RequestType<t.StartUpParams, t.UpInfo, void>(method);
}

export namespace StopUp {
  export const method = 'up/stop';
  export const type = new RequestType<t.StopUpParams, null, void>(method);
}

export namespace ListUp {
  export const method = 'up/list';
  export const type = new RequestType<t.EmptyParams, t.UpList, void>(method);
}

export namespace Down {
  export const method = 'down';
  export const type = new RequestType<t.DownParams, t.DownInfo, void>(method);
}

export namespace ConnectionStatusChanged {
  export const method = 'connection/status';
  export const type = new NotificationType<t.ConnectionStatus>(method);
}
export namespace SpaceChanged {
  export const method = 'space/changed';
  export const type = new NotificationType<t.SpaceChange>(method);
}
export namespace ServiceChanged {
  export const method = 'service/changed';
  export const type = new NotificationType<t.ServiceChange>(method);
}
export namespace ConnectEvent {
  export const method = 'connect/event';
  export const type = new NotificationType<t.ConnectEventInfo>(method);
}
export namespace SelectionChanged {
  export const method = 'selection/changed';
  export const type = new NotificationType<t.Selection>(method);
}

export namespace PortForwardEvent {
  export const method = 'portForward/event';
  export const type = new NotificationType<t.PortForwardEventInfo>(method);
}
export namespace ImageProgress {
  export const method = 'image/progress';
  export const type = new NotificationType<t.ImageProgressInfo>(method);
}

export namespace UpEvent {
  export const method = 'up/event';
  export const type = new NotificationType<t.UpEventInfo>(method);
}

/** The shape of the data, by the schema's $defs name, as property lists checked by the compiler. */
export const definitions = {
  ErrorData: fields<t.ErrorData>({ hint: true, detail: true, choices: true }),
  ErrorInfo: fields<t.ErrorInfo>({ code: true, message: true, hint: true, detail: true }),
  InitializeResult: fields<t.InitializeResult>({
    version: true,
    protocolVersion: true,
    capabilities: true,
    workspaceFolder: true,
  }),
  ContextInfo: fields<t.ContextInfo>({
    name: true,
    cluster: true,
    user: true,
    namespace: true,
    server: true,
    isCurrent: true,
  }),
  ContextList: fields<t.ContextList>({ contexts: true, current: true, kubeconfigFiles: true }),
  ConnectionState: t.connectionStates,
  ConnectionStatus: fields<t.ConnectionStatus>({
    state: true,
    context: true,
    server: true,
    serverVersion: true,
    error: true,
  }),
  SpaceInfo: fields<t.SpaceInfo>({ name: true, parent: true, phase: true, isSelected: true, children: true, url: true }),
  SpaceTree: fields<t.SpaceTree>({ context: true, selected: true, roots: true, note: true }),
  CreateSpaceResult: fields<t.CreateSpaceResult>({ name: true, parent: true, namespaceCreated: true }),
  Selection: fields<t.Selection>({ context: true, space: true, workspaceFolder: true, reason: true }),
  DeleteSpaceResult: fields<t.DeleteSpaceResult>({ deleted: true, selectionCleared: true, message: true }),
  ServicePortInfo: fields<t.ServicePortInfo>({
    name: true,
    port: true,
    targetPort: true,
    protocol: true,
    nodePort: true,
    containerPort: true,
  }),
  ServiceInfo: fields<t.ServiceInfo>({ name: true, type: true, clusterIP: true, ports: true }),
  ServiceList: fields<t.ServiceList>({ space: true, services: true }),
  ChangeKind: t.changeKinds,
  SpaceChange: fields<t.SpaceChange>({ kind: true, name: true, parent: true, phase: true }),
  ServiceChange: fields<t.ServiceChange>({ kind: true, space: true, name: true }),
  EnvironmentVariable: fields<t.EnvironmentVariable>({ name: true, value: true }),
  ConnectEndpoint: fields<t.ConnectEndpoint>({
    service: true,
    namespace: true,
    portName: true,
    servicePort: true,
    localPort: true,
    hostAddress: true,
  }),
  ConnectMount: fields<t.ConnectMount>({ containerPath: true, localPath: true, volume: true, kind: true, note: true }),
  WorkloadKind: t.workloadKinds,
  WorkloadInfo: fields<t.WorkloadInfo>({ kind: true, name: true }),
  ConnectInfo: fields<t.ConnectInfo>({
    session: true,
    space: true,
    service: true,
    workload: true,
    container: true,
    localPort: true,
    owner: true,
    startedAt: true,
    environment: true,
    endpoints: true,
    mounts: true,
  }),
  ConnectList: fields<t.ConnectList>({ sessions: true }),
  ConnectEventKind: t.connectEventKinds,
  ConnectEventInfo: fields<t.ConnectEventInfo>({ session: true, service: true, kind: true, message: true, time: true }),
  PortForwardInfo: fields<t.PortForwardInfo>({
    id: true,
    target: true,
    namespace: true,
    ports: true,
    pod: true,
    activeConnections: true,
  }),
  ForwardedPortInfo: fields<t.ForwardedPortInfo>({ address: true, localPort: true, remotePort: true }),
  PortForwardList: fields<t.PortForwardList>({ forwards: true }),
  ForwardEventKind: t.forwardEventKinds,
  PortForwardEventInfo: fields<t.PortForwardEventInfo>({
    forwardId: true,
    kind: true,
    message: true,
    time: true,
    pod: true,
    previousPod: true,
    localPort: true,
    remotePort: true,
    connectionId: true,
  }),
  ImageBuildInfo: fields<t.ImageBuildInfo>({
    reference: true,
    imageId: true,
    contentHash: true,
    skipped: true,
    deliveredReference: true,
    pushed: true,
  }),
  ProjectProblem: fields<t.ProjectProblem>({
    severity: true,
    message: true,
    line: true,
    column: true,
    endLine: true,
    endColumn: true,
  }),
  ProjectCheckResult: fields<t.ProjectCheckResult>({ path: true, problems: true }),
  ProjectPrepResult: fields<t.ProjectPrepResult>({
    folder: true,
    runtime: true,
    service: true,
    written: true,
    skipped: true,
    notes: true,
  }),
  RoutingInfo: fields<t.RoutingInfo>({ root: true, services: true, entry: true, spaces: true }),
  SpaceUrl: fields<t.SpaceUrl>({ space: true, url: true }),
  RoutingDisabled: fields<t.RoutingDisabled>({ root: true, restored: true }),
  TraceBatch: fields<t.TraceBatch>({ traces: true, next: true }),
  HttpTrace: fields<t.HttpTrace>({
    sequence: true,
    time: true,
    asked: true,
    source: true,
    space: true,
    service: true,
    method: true,
    path: true,
    status: true,
    durationMs: true,
    servedBy: true,
    keyDropped: true,
  }),
  KeyDrop: fields<t.KeyDrop>({ space: true, service: true, servedBy: true, exact: true }),
  ImageProgressInfo: fields<t.ImageProgressInfo>({
    operationId: true,
    kind: true,
    message: true,
    layerId: true,
    current: true,
    total: true,
  }),
  UpInfo: fields<t.UpInfo>({ id: true, service: true, space: true, folder: true, url: true, image: true, pod: true, watching: true, debug: true }),
  UpDebugInfo: fields<t.UpDebugInfo>({ runtime: true, remotePort: true, localPort: true, stopOnEntry: true, remoteRoot: true }),
  DebugRuntime: t.debugRuntimes,
  UpList: fields<t.UpList>({ services: true }),
  DownInfo: fields<t.DownInfo>({ service: true, space: true, actions: true }),
  UpEventKind: t.upEventKinds,
  UpEventInfo: fields<t.UpEventInfo>({ id: true, service: true, kind: true, message: true, durationMs: true, time: true }),
} as const satisfies Record<string, readonly string[]>;

export type DefinitionName = keyof typeof definitions;

export interface RequestDeclaration {
  readonly method: string;
  readonly params: readonly string[];
  /** A $defs name, or null for a request whose result is JSON null. */
  readonly result: DefinitionName | null;
}

export interface NotificationDeclaration {
  readonly method: string;
  readonly params: DefinitionName;
}

const none = fields<t.EmptyParams>({});

export const requests: readonly RequestDeclaration[] = [
  {
    method: Initialize.method,
    params: fields<t.InitializeParams>({ clientName: true, clientVersion: true, workspaceFolder: true }),
    result: 'InitializeResult',
  },
  { method: Shutdown.method, params: none, result: null },
  { method: ListContexts.method, params: none, result: 'ContextList' },
  { method: UseContext.method, params: fields<t.UseContextParams>({ name: true }), result: 'ConnectionStatus' },
  { method: ContextStatus.method, params: none, result: 'ConnectionStatus' },
  { method: ListSpaces.method, params: none, result: 'SpaceTree' },
  {
    method: CreateSpace.method,
    params: fields<t.CreateSpaceParams>({ name: true, parent: true }),
    result: 'CreateSpaceResult',
  },
  { method: SelectSpace.method, params: fields<t.SelectSpaceParams>({ name: true }), result: 'Selection' },
  { method: CurrentSpace.method, params: none, result: 'Selection' },
  {
    method: DeleteSpace.method,
    params: fields<t.DeleteSpaceParams>({ name: true, recursive: true }),
    result: 'DeleteSpaceResult',
  },
  { method: ListServices.method, params: fields<t.ListServicesParams>({ space: true }), result: 'ServiceList' },
  {
    method: StartConnect.method,
    params: fields<t.StartConnectParams>({ service: true, localPort: true, space: true, container: true, mounts: true, hosts: true, keepOriginal: true, forwardProbes: true, isolated: true }),
    result: 'ConnectInfo',
  },
  { method: StopConnect.method, params: fields<t.StopConnectParams>({ session: true }), result: null },
  { method: ListConnections.method, params: none, result: 'ConnectList' },
  {
    method: StartPortForward.method,
    params: fields<t.StartPortForwardParams>({ target: true, ports: true, space: true, address: true }),
    result: 'PortForwardInfo',
  },
  { method: StopPortForward.method, params: fields<t.StopPortForwardParams>({ id: true }), result: 'PortForwardInfo' },
  { method: ListPortForwards.method, params: none, result: 'PortForwardList' },
  {
    method: BuildImage.method,
    params: fields<t.BuildImageParams>({
      context: true,
      repository: true,
      dockerfile: true,
      buildArgs: true,
      deliver: true,
      registry: true,
      force: true,
      operationId: true,
    }),
    result: 'ImageBuildInfo',
  },
  { method: CheckProject.method, params: fields<t.CheckProjectParams>({ path: true, text: true }), result: 'ProjectCheckResult' },
  {
    method: PrepareProject.method,
    params: fields<t.PrepareProjectParams>({ folder: true, service: true }),
    result: 'ProjectPrepResult',
  },
  { method: EnableRouting.method, params: fields<t.EnableRoutingParams>({ space: true, host: true, entry: true }), result: 'RoutingInfo' },
  { method: DisableRouting.method, params: fields<t.DisableRoutingParams>({ space: true }), result: 'RoutingDisabled' },
  {
    method: GetTraces.method,
    params: fields<t.GetTracesParams>({ space: true, after: true, waitSeconds: true, forSpace: true }),
    result: 'TraceBatch',
  },
  {
    method: StartUp.method,
    params: fields<t.StartUpParams>({ folder: true, space: true, localPort: true, watch: true, buildArgs: true, debug: true, stopOnEntry: true, debugPort: true }),
    result: 'UpInfo',
  },
  { method: StopUp.method, params: fields<t.StopUpParams>({ id: true }), result: null },
  { method: ListUp.method, params: none, result: 'UpList' },
  { method: Down.method, params: fields<t.DownParams>({ folder: true, space: true }), result: 'DownInfo' },
];

export const notifications: readonly NotificationDeclaration[] = [
  { method: ConnectionStatusChanged.method, params: 'ConnectionStatus' },
  { method: SpaceChanged.method, params: 'SpaceChange' },
  { method: ServiceChanged.method, params: 'ServiceChange' },
  { method: SelectionChanged.method, params: 'Selection' },
  { method: ConnectEvent.method, params: 'ConnectEventInfo' },
  { method: PortForwardEvent.method, params: 'PortForwardEventInfo' },
  { method: ImageProgress.method, params: 'ImageProgressInfo' },
  { method: UpEvent.method, params: 'UpEventInfo' },
];

/** The contract version this extension speaks; the daemon reports its own in `initialize`. */
export const protocolVersion = 1;
