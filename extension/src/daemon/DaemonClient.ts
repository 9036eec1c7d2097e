import { CancellationToken, Disposable, Event, NotificationType, RequestType } from 'vscode-jsonrpc';
import { DaemonState } from './DaemonState';

/** What features need from the daemon: requests, notifications and its process state. */
export interface DaemonClient {
  readonly state: DaemonState;
  readonly onDidChangeState: Event<DaemonState>;
  request<P, R>(type: RequestType<P, R, unknown>, params: P, token?: CancellationToken): Promise<R>;
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable;
}
