import { Disposable, Emitter, Event } from 'vscode-jsonrpc';
import { DaemonClient } from '../daemon/DaemonClient';
import { DaemonState } from '../daemon/DaemonState';
import { Logger } from '../daemon/Logger';
import * as rpc from '../protocol/methods';
import { ConnectionStatus, Selection, ServiceInfo, SpaceInfo, SpaceTree } from '../protocol/types';

/** Everything the UI shows, as last reported by the daemon. */
export interface SpacesSnapshot {
  readonly daemon: DaemonState;
  readonly connection: ConnectionStatus | undefined;
  readonly selection: Selection | undefined;
  readonly tree: SpaceTree | undefined;
  /** Why the last space-list refresh failed, if it did. */
  readonly treeError: Error | undefined;
}

/**
 * The client-side picture of the cluster's spaces, kept current by daemon notifications (and a
 * full reload after each daemon start). The status bar and the view render it; commands only send
 * requests and let the resulting notifications update it.
 */
export class SpacesModel implements Disposable {
  private readonly changed = new Emitter<SpacesSnapshot>();
  private readonly servicesChanged = new Emitter<string | undefined>();
  private readonly subscriptions: Disposable[] = [];
  private readonly services = new Map<string, Promise<ServiceInfo[]>>();
  private connection: ConnectionStatus | undefined;
  private selection: Selection | undefined;
  private tree: SpaceTree | undefined;
  private treeError: Error | undefined;
  private treeLoad: Promise<void> | undefined;
  private treeReloadPending = false;

  /** Fires with the new snapshot whenever anything shown changes. */
  readonly onDidChange: Event<SpacesSnapshot> = this.changed.event;
  /** Fires with a space whose services changed, or undefined when all may have. */
  readonly onDidChangeServices: Event<string | undefined> = this.servicesChanged.event;

  constructor(
    private readonly daemon: DaemonClient,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      daemon.onDidChangeState((state) => this.onDaemonState(state)),
      daemon.onNotification(rpc.ConnectionStatusChanged.type, (status) => this.onConnectionStatus(status)),
      daemon.onNotification(rpc.SelectionChanged.type, (selection) => this.onSelection(selection)),
      daemon.onNotification(rpc.SpaceChanged.type, () => void this.reloadTree()),
      daemon.onNotification(rpc.ServiceChanged.type, (change) => this.invalidateServices(change.space)),
    );
  }

  get snapshot(): SpacesSnapshot {
    return {
      daemon: this.daemon.state,
      connection: this.connection,
      selection: this.selection,
      tree: this.tree,
      treeError: this.treeError,
    };
  }

  /** The current space tree, loading it if it was never loaded. */
  async spaces(): Promise<SpaceTree> {
    if (!this.tree) {
      await this.reloadTree();
    }
    if (!this.tree) {
      throw this.treeError ?? new Error('The space list is not available.');
    }
    return this.tree;
  }

  /** The services of a space; cached until the daemon reports a change in that space. */
  servicesOf(space: string): Promise<ServiceInfo[]> {
    let services = this.services.get(space);
    if (!services) {
      services = this.daemon.request(rpc.ListServices.type, { space }).then((list) => list.services);
      // A failed load is not cached, so expanding the space again retries.
      services.catch(() => this.services.delete(space));
      this.services.set(space, services);
    }
    return services;
  }

  /**
   * The selection remembered in the workspace folder, shown while the daemon has not started (it starts only when
   * needed); once it runs, what it reports wins.
   */
  showSavedSelection(selection: Selection | undefined): void {
    if (this.daemon.state.kind !== 'idle') {
      return;
    }
    this.selection = selection;
    this.fire();
  }

  /** Reloads the space tree; concurrent calls share one load and a late call triggers one more. */
  reloadTree(): Promise<void> {
    if (this.treeLoad) {
      this.treeReloadPending = true;
      return this.treeLoad;
    }
    const load = (async (): Promise<void> => {
      do {
        this.treeReloadPending = false;
        try {
          this.tree = await this.daemon.request(rpc.ListSpaces.type, {});
          this.treeError = undefined;
        } catch (error) {
          // A stale tree from another context or an unreachable cluster would mislead.
          this.tree = undefined;
          this.treeError = error instanceof Error ? error : new Error(String(error));
          this.log.warn(`Could not list spaces: ${this.treeError.message}`);
        }
      } while (this.treeReloadPending);
    })();
    this.treeLoad = load.finally(() => {
      this.treeLoad = undefined;
      this.fire();
    });
    return this.treeLoad;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.changed.dispose();
    this.servicesChanged.dispose();
  }

  private onDaemonState(state: DaemonState): void {
    if (state.kind === 'running') {
      this.fire();
      this.catchUp();
      return;
    }
    if (state.kind !== 'starting') {
      // What an absent daemon reported last may no longer be true.
      this.connection = undefined;
    }
    this.fire();
  }

  /** After a (re)start nothing is known: read the selection, connection and spaces afresh. */
  private catchUp(): void {
    this.services.clear();
    this.servicesChanged.fire(undefined);
    const selection = this.daemon.request(rpc.CurrentSpace.type, {}).then((selection) => this.onSelection(selection));
    const connection = this.daemon
      .request(rpc.ContextStatus.type, {})
      .then((status) => this.onConnectionStatus(status));
    const tree = this.reloadTree();
    Promise.all([selection, connection, tree]).catch((error: unknown) =>
      this.log.warn(`Could not read the daemon's state: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private onConnectionStatus(status: ConnectionStatus): void {
    const wasConnected = this.connection?.state === 'connected' && this.connection.context === status.context;
    this.connection = status;
    if (status.state === 'failed') {
      this.tree = undefined;
      this.treeError = new Error(status.error?.message ?? `The cluster of context '${status.context ?? '?'}' is not reachable.`);
    }
    this.fire();
    if (status.state === 'connected' && !wasConnected) {
      this.services.clear();
      this.servicesChanged.fire(undefined);
      void this.reloadTree();
    }
  }

  private onSelection(selection: Selection): void {
    const contextChanged = this.selection !== undefined && this.selection.context !== selection.context;
    this.selection = selection;
    if (this.tree) {
      this.tree = { ...this.tree, selected: selection.space, roots: markSelected(this.tree.roots, selection.space) };
    }
    this.fire();
    if (contextChanged) {
      void this.reloadTree();
    }
  }

  private invalidateServices(space: string): void {
    this.services.delete(space);
    this.servicesChanged.fire(space);
  }

  private fire(): void {
    this.changed.fire(this.snapshot);
  }
}

function markSelected(spaces: SpaceInfo[], selected: string | null): SpaceInfo[] {
  return spaces.map((space) => ({
    ...space,
    isSelected: space.name === selected,
    children: markSelected(space.children, selected),
  }));
}

/** Depth-first walk of a space tree, with each space's depth. */
export function* walkSpaces(spaces: readonly SpaceInfo[], depth = 0): Generator<{ space: SpaceInfo; depth: number }> {
  for (const space of spaces) {
    yield { space, depth };
    yield* walkSpaces(space.children, depth + 1);
  }
}
