import { Disposable, Emitter, Event } from 'vscode-jsonrpc';
import { DaemonClient } from '../daemon/DaemonClient';
import { DaemonState } from '../daemon/DaemonState';
import { Logger } from '../daemon/Logger';
import { ErrorCodes } from '../protocol/errors';
import * as rpc from '../protocol/methods';
import { PortForwardEventInfo, PortForwardInfo, StartPortForwardParams } from '../protocol/types';

/** What a forward is doing, as its latest events say. */
export type ForwardHealth = 'listening' | 'noReadyPod' | 'connectionFailed';

/** One running forward as the UI shows it. */
export interface ActiveForward {
  readonly info: PortForwardInfo;
  readonly health: ForwardHealth;
  /** The pod new connections go to (follows podSelected/podSwitched). */
  readonly pod: string | null;
  /** The latest noteworthy event (pod switch, failure), for the description and tooltip. */
  readonly lastNotice: PortForwardEventInfo | undefined;
  /** The latest pod switch; kept apart so later connection failures do not hide it. */
  readonly lastSwitch: PortForwardEventInfo | undefined;
  readonly openConnections: number;
}

interface ForwardState {
  health: ForwardHealth;
  pod: string | null | undefined;
  lastNotice: PortForwardEventInfo | undefined;
  lastSwitch: PortForwardEventInfo | undefined;
  openConnections: Set<number>;
}

/**
 * The forwards the daemon runs for this window, kept current by `portForward/event`. The daemon owns
 * the forwards, so when it restarts they are gone and the list is emptied.
 */
export class PortForwardsModel implements Disposable {
  private readonly changed = new Emitter<string | undefined>();
  private readonly podSwitched = new Emitter<PortForwardEventInfo>();
  private readonly subscriptions: Disposable[] = [];
  private readonly forwards = new Map<string, PortForwardInfo>();
  // Events can arrive before portForward/start answers, so state is kept by id on its own.
  private readonly states = new Map<string, ForwardState>();

  /** Fires with a forward's id when its state changes, with undefined when the list changes. */
  readonly onDidChange: Event<string | undefined> = this.changed.event;
  /** Fires when a forward's new connections go to another pod than before. */
  readonly onDidSwitchPod: Event<PortForwardEventInfo> = this.podSwitched.event;

  constructor(
    private readonly daemon: DaemonClient,
    private readonly log: Logger,
  ) {
    // The only subscriber to portForward/event: the connection keeps one handler per method.
    this.subscriptions.push(
      daemon.onNotification(rpc.PortForwardEvent.type, (event) => this.onEvent(event)),
      daemon.onDidChangeState((state) => this.onDaemonState(state)),
    );
  }

  /** The running forwards, oldest first. */
  get active(): ActiveForward[] {
    return [...this.forwards.values()].map((info) => {
      const state = this.states.get(info.id);
      return {
        info,
        health: state?.health ?? (info.pod ? 'listening' : 'noReadyPod'),
        pod: state?.pod !== undefined ? state.pod : info.pod,
        lastNotice: state?.lastNotice,
        lastSwitch: state?.lastSwitch,
        openConnections: state ? state.openConnections.size : info.activeConnections,
      };
    });
  }

  find(id: string): ActiveForward | undefined {
    return this.active.find((forward) => forward.info.id === id);
  }

  async start(params: StartPortForwardParams, token?: Parameters<DaemonClient['request']>[2]): Promise<PortForwardInfo> {
    const info = await this.daemon.request(rpc.StartPortForward.type, params, token);
    this.forwards.set(info.id, info);
    this.changed.fire(undefined);
    return info;
  }

  async stop(id: string): Promise<PortForwardInfo> {
    let info: PortForwardInfo;
    try {
      info = await this.daemon.request(rpc.StopPortForward.type, { id });
    } catch (error) {
      // The daemon does not know it (any more): a row that cannot be stopped must not stay.
      if ((error as { code?: unknown }).code === ErrorCodes.PortForwardNotFound) {
        this.forget(id);
      }
      throw error;
    }
    this.forget(id);
    this.log.info(`Port forward ${describeForward(info)} stopped.`);
    return info;
  }

  /** Replaces the list with the daemon's. */
  async reload(): Promise<void> {
    const list = await this.daemon.request(rpc.ListPortForwards.type, {});
    this.forwards.clear();
    for (const info of list.forwards) {
      this.forwards.set(info.id, info);
    }
    for (const id of this.states.keys()) {
      if (!this.forwards.has(id)) {
        this.states.delete(id);
      }
    }
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.changed.dispose();
    this.podSwitched.dispose();
  }

  private onEvent(event: PortForwardEventInfo): void {
    if (event.kind === 'stopped') {
      this.log.info(`Port forward ${event.forwardId}: ${event.message}`);
      this.forget(event.forwardId);
      return;
    }
    const state = this.stateOf(event.forwardId);
    switch (event.kind) {
      case 'listening':
        this.log.info(`Port forward ${event.forwardId}: ${event.message}`);
        if (event.pod) {
          state.pod = event.pod;
        }
        break;
      case 'podSelected':
        this.log.info(`Port forward ${event.forwardId}: ${event.message}`);
        state.pod = event.pod;
        state.health = 'listening';
        break;
      case 'podSwitched':
        // The user must see that new connections now reach another pod.
        this.log.warn(`Port forward ${event.forwardId}: ${event.message}`);
        state.pod = event.pod;
        state.health = 'listening';
        state.lastNotice = event;
        state.lastSwitch = event;
        this.podSwitched.fire(event);
        break;
      case 'noReadyPod':
        this.log.warn(`Port forward ${event.forwardId}: ${event.message}`);
        state.pod = null;
        state.health = 'noReadyPod';
        state.lastNotice = event;
        break;
      case 'connectionOpened':
        if (event.connectionId !== null) {
          state.openConnections.add(event.connectionId);
        }
        break;
      case 'connectionClosed':
        if (event.connectionId !== null) {
          state.openConnections.delete(event.connectionId);
        }
        // A connection that ran its course means the remote port answers again.
        if (state.health === 'connectionFailed') {
          state.health = 'listening';
        }
        break;
      case 'connectionFailed':
        this.log.warn(`Port forward ${event.forwardId}: ${event.message}`);
        if (event.connectionId !== null) {
          state.openConnections.delete(event.connectionId);
        }
        state.health = 'connectionFailed';
        state.lastNotice = event;
        break;
    }
    this.changed.fire(event.forwardId);
  }

  private stateOf(id: string): ForwardState {
    let state = this.states.get(id);
    if (!state) {
      state = { health: 'listening', pod: undefined, lastNotice: undefined, lastSwitch: undefined, openConnections: new Set() };
      this.states.set(id, state);
    }
    return state;
  }

  private forget(id: string): void {
    const known = this.forwards.delete(id);
    this.states.delete(id);
    if (known) {
      this.changed.fire(undefined);
    }
  }

  private onDaemonState(state: DaemonState): void {
    if (state.kind === 'running') {
      this.reload().catch((error: unknown) =>
        this.log.warn(`Could not list port forwards: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    if (this.forwards.size > 0) {
      this.log.warn(`The daemon stopped (${state.kind}); its ${this.forwards.size} port forward(s) ended.`);
    }
    this.forwards.clear();
    this.states.clear();
    this.changed.fire(undefined);
  }
}

/** `service/web 8080→80 (team)` */
export function describeForward(info: PortForwardInfo): string {
  const ports = info.ports.map((port) => `${port.localPort}→${port.remotePort}`).join(', ');
  return `${info.target} ${ports} (${info.namespace})`;
}

/** The address to open for a forwarded port; a wildcard bind is reached on loopback. */
export function localAddress(info: PortForwardInfo, index = 0): string | undefined {
  const port = info.ports[index];
  if (!port) {
    return undefined;
  }
  const host = port.address === '0.0.0.0' ? '127.0.0.1' : port.address === '::' ? '[::1]' : port.address.includes(':') ? `[${port.address}]` : port.address;
  return `${host}:${port.localPort}`;
}
