import { Disposable, Emitter, Event } from 'vscode-jsonrpc';
import { DaemonClient } from '../daemon/DaemonClient';
import { DaemonState } from '../daemon/DaemonState';
import * as rpc from '../protocol/methods';
import { ConnectEventInfo, ConnectInfo, StartConnectParams } from '../protocol/types';

/** Event kinds worth the user's attention even with the output closed. */
export const noticeKinds: ReadonlySet<ConnectEventInfo['kind']> = new Set([
  'tunnelLost',
  'reconnected',
  'localPortNotListening',
  'outboundFailed',
  'restored',
  'warning',
]);

/** A session that ended without this window asking (the agent restored the service, the daemon stopped). */
export interface EndedSession {
  readonly info: ConnectInfo;
  readonly reason: string;
}

/**
 * The connect sessions the daemon runs for this window, kept current by `connect/event`. The daemon owns the
 * sessions (and restores them when it stops), so when it restarts the list is emptied.
 */
export class ConnectionsModel implements Disposable {
  private readonly changed = new Emitter<void>();
  private readonly noticed = new Emitter<ConnectEventInfo>();
  private readonly ended = new Emitter<EndedSession>();
  private readonly subscriptions: Disposable[] = [];
  private readonly sessions = new Map<string, ConnectInfo>();
  private readonly reconnecting = new Set<string>();
  private readonly stopping = new Set<string>();

  readonly onDidChange: Event<void> = this.changed.event;
  /** Fires for events the user should see (tunnel lost, nothing listening locally, restored…). */
  readonly onDidNotice: Event<ConnectEventInfo> = this.noticed.event;
  /** Fires when a session ends on its own; a `stop` from this window does not count. */
  readonly onDidEnd: Event<EndedSession> = this.ended.event;

  // The daemon logs every event itself (it reaches the output as a [daemon] line), so events are not logged here.
  constructor(private readonly daemon: DaemonClient) {
    this.subscriptions.push(
      daemon.onNotification(rpc.ConnectEvent.type, (event) => this.onEvent(event)),
      daemon.onDidChangeState((state) => this.onDaemonState(state)),
    );
  }

  get active(): ConnectInfo[] {
    return [...this.sessions.values()];
  }

  /** The session of a service in a space (any space when it is not known), if this window has one. */
  find(service: string, space?: string | null): ConnectInfo | undefined {
    return this.active.find((c) => c.service === service && (space == null || c.space === space));
  }

  /** True while the tunnel of the session is down and the daemon reconnects it. */
  isReconnecting(session: string): boolean {
    return this.reconnecting.has(session);
  }

  async start(params: StartConnectParams, token?: Parameters<DaemonClient['request']>[2]): Promise<ConnectInfo> {
    const info = await this.daemon.request(rpc.StartConnect.type, params, token);
    this.sessions.set(info.session, info);
    this.changed.fire();
    return info;
  }

  async stop(session: string): Promise<void> {
    this.stopping.add(session);
    try {
      await this.daemon.request(rpc.StopConnect.type, { session });
    } finally {
      this.stopping.delete(session);
    }
    this.reconnecting.delete(session);
    if (this.sessions.delete(session)) {
      this.changed.fire();
    }
  }

  private onEvent(event: ConnectEventInfo): void {
    const session = event.session;
    const info = session ? this.sessions.get(session) : undefined;
    if (session && info) {
      if (event.kind === 'restored') {
        this.sessions.delete(session);
        this.reconnecting.delete(session);
        this.changed.fire();
        if (!this.stopping.has(session)) {
          this.ended.fire({ info, reason: event.message });
        }
      } else if (event.kind === 'tunnelLost' && !this.reconnecting.has(session)) {
        this.reconnecting.add(session);
        this.changed.fire();
      } else if ((event.kind === 'reconnected' || event.kind === 'connected') && this.reconnecting.delete(session)) {
        this.changed.fire();
      }
    }
    if (noticeKinds.has(event.kind) && !(session && this.stopping.has(session))) {
      this.noticed.fire(event);
    }
  }

  private onDaemonState(state: DaemonState): void {
    if (state.kind !== 'running' && this.sessions.size > 0) {
      const gone = this.active;
      this.sessions.clear();
      this.reconnecting.clear();
      this.changed.fire();
      for (const info of gone) {
        if (!this.stopping.has(info.session)) {
          this.ended.fire({ info, reason: 'The DevSpaces daemon stopped; it restores connected services when it exits.' });
        }
      }
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
    this.noticed.dispose();
    this.ended.dispose();
  }
}

/** The environment as a dotenv file (what launch configurations read with `envFile`). */
export function envFileText(info: ConnectInfo): string {
  return info.environment
    .map(({ name, value }) =>
      /[\s"'#\\$]/.test(value)
        ? `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\$/g, '\\$')}"`
        : `${name}=${value}`,
    )
    .join('\n')
    .concat('\n');
}
