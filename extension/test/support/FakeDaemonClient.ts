import { CancellationToken, Disposable, Emitter, NotificationType, RequestType } from 'vscode-jsonrpc';
import { DaemonClient } from '../../src/daemon/DaemonClient';
import { DaemonState } from '../../src/daemon/DaemonState';

type Handler = (params: unknown) => unknown;

/** An in-memory DaemonClient: requests go to handlers set by the test, which also sends notifications. */
export class FakeDaemonClient implements DaemonClient {
  private readonly stateEmitter = new Emitter<DaemonState>();
  private readonly notificationHandlers = new Map<string, Set<(params: unknown) => void>>();
  readonly handlers = new Map<string, Handler>();
  readonly sent: { method: string; params: unknown }[] = [];
  state: DaemonState = { kind: 'starting', attempt: 1 };
  readonly onDidChangeState = this.stateEmitter.event;

  setState(state: DaemonState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  handle<P, R>(type: RequestType<P, R, unknown>, handler: (params: P) => R | Promise<R>): void {
    this.handlers.set(type.method, handler as Handler);
  }

  async request<P, R>(type: RequestType<P, R, unknown>, params: P, _token?: CancellationToken): Promise<R> {
    this.sent.push({ method: type.method, params });
    const handler = this.handlers.get(type.method);
    if (!handler) {
      throw new Error(`No handler for ${type.method} in the test`);
    }
    return (await handler(params)) as R;
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    const set = this.notificationHandlers.get(type.method) ?? new Set();
    set.add(handler as (params: unknown) => void);
    this.notificationHandlers.set(type.method, set);
    return Disposable.create(() => set.delete(handler as (params: unknown) => void));
  }

  notify<P>(type: NotificationType<P>, params: P): void {
    for (const handler of this.notificationHandlers.get(type.method) ?? []) {
      handler(params);
    }
  }

  sentTo(method: string): unknown[] {
    return this.sent.filter((s) => s.method === method).map((s) => s.params);
  }
}
