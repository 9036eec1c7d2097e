import { Disposable, Emitter, Event } from 'vscode-jsonrpc';
import { DaemonClient } from '../daemon/DaemonClient';
import { DaemonState } from '../daemon/DaemonState';
import { Logger } from '../daemon/Logger';
import * as rpc from '../protocol/methods';
import { ConnectEventInfo, ConnectInfo, StartConnectParams } from '../protocol/types';

/** Event kinds worth the user's attention even with the output closed. */
export const noticeKinds: ReadonlySet<ConnectEventInfo['kind']> = new Set([
  'tunnelLost',
  'reconnected',
  'localPortNotListening',
  'outboundFailed',
  'restored',
]);

/**
 * The connect sessions the daemon runs for this window, kept current by `connect/event`. The daemon owns the
 * sessions (and restores them when it stops), so when it restarts the list is emptied.
 */
export class ConnectionsModel implements Disposable {
  private readonly changed = new Emitter<void>();
  private readonly noticed = new Emitter<ConnectEventInfo>();
  private readonly subscriptions: Disposable[] = [];
  private readonly sessions = new Map<string, ConnectInfo>();

  readonly onDidChange: Event<void> = this.changed.event;
  /** Fires for events the user should see (tunnel lost, nothing listening locally, restored…). */
  readonly onDidNotice: Event<ConnectEventInfo> = this.noticed.event;

  constructor(
    private readonly daemon: DaemonClient,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      daemon.onNotification(rpc.ConnectEvent.type, (event) => this.onEvent(event)),
      daemon.onDidChangeState((state) => this.onDaemonState(state)),
    );
  }

  get active(): ConnectInfo[] {
    return [...this.sessions.values()];
  }

  async start(params: StartConnectParams, token?: Parameters<DaemonClient['request']>[2]): Promise<ConnectInfo> {
    const info = await this.daemon.request(rpc.StartConnect.type, params, token);
    this.sessions.set(info.session, info);
    this.changed.fire();
    return info;
  }

  async stop(session: string): Promise<void> {
    await this.daemon.request(rpc.StopConnect.type, { session });
    if (this.sessions.delete(session)) {
      this.changed.fire();
    }
  }

  private onEvent(event: ConnectEventInfo): void {
    this.log.info(`connect ${event.service}: ${event.message}`);
    if (event.kind === 'restored' && event.session && this.sessions.delete(event.session)) {
      this.changed.fire();
    }
    if (noticeKinds.has(event.kind)) {
      this.noticed.fire(event);
    }
  }

  private onDaemonState(state: DaemonState): void {
    if (state.kind !== 'running' && this.sessions.size > 0) {
      this.sessions.clear();
      this.changed.fire();
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
    this.noticed.dispose();
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
