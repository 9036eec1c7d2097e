import { Disposable, Emitter, Event } from 'vscode-jsonrpc';
import { DaemonClient } from '../daemon/DaemonClient';
import { DaemonState } from '../daemon/DaemonState';
import * as rpc from '../protocol/methods';
import { DownInfo, StartUpParams, UpEventInfo, UpInfo } from '../protocol/types';

/** What a service that is up is doing, for the status bar. */
export type UpActivity = 'starting' | 'running' | 'rebuilding' | 'failed';

/** One line of a service's output channel for an event: the container's lines as they are, the rest marked. */
export function outputLine(event: UpEventInfo): string {
  if (event.kind === 'log') {
    return event.message;
  }
  if (event.kind === 'build') {
    return `[build] ${event.message}`;
  }
  const took = event.durationMs == null ? '' : event.durationMs < 1000 ? ` (${event.durationMs} ms)` : ` (${(event.durationMs / 1000).toFixed(1)} s)`;
  const marker = event.kind === 'buildFailed' || event.kind === 'warning' ? 'warning' : 'devspaces';
  return `[${marker}] ${event.message}${took}`;
}

/**
 * The services this window keeps up, kept current by `up/event`: what each is doing, and every event, in order,
 * for its output channel. The daemon owns the syncs; when it stops, the list is emptied (the services keep running).
 */
export class UpsModel implements Disposable {
  private readonly changed = new Emitter<void>();
  private readonly output = new Emitter<UpEventInfo>();
  private readonly subscriptions: Disposable[] = [];
  private readonly ups = new Map<string, UpInfo>();
  private readonly activity = new Map<string, UpActivity>();
  private readonly starting = new Set<string>();

  readonly onDidChange: Event<void> = this.changed.event;
  /** Every event of every service, in the order the daemon sent them. */
  readonly onDidOutput: Event<UpEventInfo> = this.output.event;

  constructor(private readonly daemon: DaemonClient) {
    this.subscriptions.push(
      daemon.onNotification(rpc.UpEvent.type, (event) => this.onEvent(event)),
      daemon.onDidChangeState((state) => this.onDaemonState(state)),
    );
  }

  get active(): UpInfo[] {
    return [...this.ups.values()];
  }

  /** Services being built and deployed, by name. */
  get pending(): string[] {
    return [...this.starting];
  }

  activityOf(id: string): UpActivity {
    return this.activity.get(id) ?? 'running';
  }

  async start(params: StartUpParams, service: string, token?: Parameters<DaemonClient['request']>[2]): Promise<UpInfo> {
    this.starting.add(service);
    this.changed.fire();
    try {
      const info = await this.daemon.request(rpc.StartUp.type, params, token);
      this.ups.set(info.id, info);
      this.activity.set(info.id, 'running');
      return info;
    } finally {
      this.starting.delete(service);
      this.changed.fire();
    }
  }

  /** Stops watching; the service keeps running. */
  async stop(id: string): Promise<void> {
    await this.daemon.request(rpc.StopUp.type, { id });
    this.forget(id);
  }

  /** Removes the service from its space. */
  async down(folder: string, space: string | null): Promise<DownInfo> {
    const result = await this.daemon.request(rpc.Down.type, { folder, space });
    this.forget(`${result.space}/${result.service}`);
    return result;
  }

  private forget(id: string): void {
    this.activity.delete(id);
    if (this.ups.delete(id)) {
      this.changed.fire();
    }
  }

  private onEvent(event: UpEventInfo): void {
    this.output.fire(event);
    const id = event.id;
    if (!id) {
      return;
    }
    const next = nextActivity(this.activity.get(id) ?? 'starting', event);
    if (event.kind === 'stopped') {
      this.forget(id);
      return;
    }
    if (next !== this.activity.get(id)) {
      this.activity.set(id, next);
      this.changed.fire();
    }
    const info = this.ups.get(id);
    if (info && event.kind === 'redeployed') {
      const pod = /\(pod ([^)]+)\)/.exec(event.message)?.[1];
      if (pod) {
        this.ups.set(id, { ...info, pod });
      }
    }
  }

  private onDaemonState(state: DaemonState): void {
    if (state.kind !== 'running' && this.ups.size > 0) {
      this.ups.clear();
      this.activity.clear();
      this.changed.fire();
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
    this.output.dispose();
  }
}

/** What an event says the service is doing now: a failed build shows until a change is synced or deployed. */
export function nextActivity(current: UpActivity, event: UpEventInfo): UpActivity {
  switch (event.kind) {
    case 'synced':
    case 'restarted':
    case 'redeployed':
      return 'running';
    case 'buildFailed':
      return 'failed';
    case 'step':
      return /rebuilding/.test(event.message) ? 'rebuilding' : current;
    default:
      return current;
  }
}
