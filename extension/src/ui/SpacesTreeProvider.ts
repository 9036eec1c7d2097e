import * as vscode from 'vscode';
import { SpacesModel, walkSpaces } from '../state/SpacesModel';
import { ServiceInfo, SpaceInfo } from '../protocol/types';
import { describeError } from './ErrorPresenter';

export type SpacesTreeNode =
  | { readonly kind: 'space'; readonly space: SpaceInfo }
  /** A service of the space, or (with `from`) one it inherits from an ancestor: requests to the space reach that one. */
  | { readonly kind: 'service'; readonly space: string; readonly service: ServiceInfo; readonly from?: string }
  | { readonly kind: 'message'; readonly text: string; readonly tooltip?: string };

export const spacesViewId = 'devspaces.spaces';

/** The "Dev Spaces" view: spaces (nested by parent) and, under each, its services with ports. */
export class SpacesTreeProvider implements vscode.TreeDataProvider<SpacesTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SpacesTreeNode | undefined>();
  private readonly subscriptions: { dispose(): void }[];

  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: SpacesModel) {
    // Services are cached in the model, so refreshing the whole tree on a change is cheap.
    this.subscriptions = [
      model.onDidChange(() => this.changed.fire(undefined)),
      model.onDidChangeServices(() => this.changed.fire(undefined)),
    ];
  }

  getTreeItem(node: SpacesTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'space': {
        const item = new vscode.TreeItem(node.space.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `space:${node.space.name}`;
        item.iconPath = new vscode.ThemeIcon(node.space.isSelected ? 'pass-filled' : 'cloud');
        item.description = [node.space.isSelected ? 'selected' : '', node.space.phase !== 'Active' ? node.space.phase : '', node.space.url ?? '']
          .filter(Boolean)
          .join(' · ');
        // ".url": the space has a URL (its root is routed), so it can be opened and copied.
        item.contextValue = `${node.space.isSelected ? 'devspaces.space.selected' : 'devspaces.space'}${node.space.url ? '.url' : ''}`;
        item.tooltip =
          (node.space.parent ? `${node.space.name} (child of ${node.space.parent})` : `${node.space.name} (root space)`) +
          (node.space.url ? `\n${node.space.url}: opens the app as this space sees it` : '');
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.service.name, vscode.TreeItemCollapsibleState.None);
        item.id = `service:${node.space}/${node.service.name}`;
        const where = `${node.service.type}${node.service.clusterIP ? ` ${node.service.clusterIP}` : ''}\n${formatPorts(node.service)}`;
        if (node.from) {
          // Dimmed: not in this space, but what a request to this space's URL reaches.
          item.iconPath = new vscode.ThemeIcon('plug', new vscode.ThemeColor('disabledForeground'));
          item.description = `from ${node.from}`;
          item.tooltip = `Not in '${node.space}': requests for '${node.service.name}' in '${node.space}' reach the one in '${node.from}'.\n${where}`;
          item.contextValue = 'devspaces.inheritedService';
          return item;
        }
        item.iconPath = new vscode.ThemeIcon('plug');
        item.description = formatPorts(node.service);
        item.tooltip = where;
        item.contextValue = 'devspaces.service';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip;
        return item;
      }
    }
  }

  async getChildren(node?: SpacesTreeNode): Promise<SpacesTreeNode[]> {
    if (!node) {
      return this.roots();
    }
    if (node.kind !== 'space') {
      return [];
    }
    const children: SpacesTreeNode[] = node.space.children.map((space) => ({ kind: 'space', space }));
    try {
      const services = await this.model.servicesOf(node.space.name);
      children.push(...services.map((service): SpacesTreeNode => ({ kind: 'service', space: node.space.name, service })));
      children.push(...(await this.inherited(node.space, new Set(services.map((service) => service.name)))));
    } catch (error) {
      const described = describeError(error);
      children.push({ kind: 'message', text: `Services unavailable: ${described.message}`, tooltip: described.hint });
    }
    return children;
  }

  /** The services a child space reaches in its ancestors (nearest first), minus those it has itself. */
  private async inherited(space: SpaceInfo, own: Set<string>): Promise<SpacesTreeNode[]> {
    const byName = new Map([...walkSpaces(this.model.snapshot.tree?.roots ?? [])].map(({ space: s }) => [s.name, s]));
    const found: SpacesTreeNode[] = [];
    const seen = new Set(own);
    const visited = new Set([space.name]);
    for (let ancestor = space.parent; ancestor && !visited.has(ancestor); ancestor = byName.get(ancestor)?.parent ?? null) {
      visited.add(ancestor);
      for (const service of await this.model.servicesOf(ancestor)) {
        if (!seen.has(service.name)) {
          seen.add(service.name);
          found.push({ kind: 'service', space: space.name, service, from: ancestor });
        }
      }
    }
    return found;
  }

  private async roots(): Promise<SpacesTreeNode[]> {
    const snapshot = this.model.snapshot;
    const daemon = snapshot.daemon;
    // Expanding the view is a reason to start the daemon: idle and starting go on to the request below, which waits.
    if (daemon.kind === 'unavailable') {
      return [{ kind: 'message', text: daemon.reason, tooltip: daemon.hint }];
    }
    if (daemon.kind === 'stopped') {
      return [{ kind: 'message', text: 'The DevSpaces daemon is stopped.', tooltip: "Run 'DevSpaces: Restart Daemon' to start it." }];
    }
    if (daemon.kind === 'restarting') {
      return [{ kind: 'message', text: 'Waiting for the DevSpaces daemon…', tooltip: daemon.reason }];
    }
    const connection = snapshot.connection;
    if (connection?.state === 'failed') {
      return [
        {
          kind: 'message',
          text: connection.error?.message ?? `The cluster of context '${connection.context ?? '?'}' is not reachable.`,
          tooltip: connection.error?.hint ?? undefined,
        },
      ];
    }
    try {
      const tree = await this.model.spaces();
      if (tree.roots.length === 0) {
        return [{ kind: 'message', text: 'No spaces yet: use "DevSpaces: Create Child Space" or the CLI.' }];
      }
      return tree.roots.map((space) => ({ kind: 'space', space }));
    } catch (error) {
      const described = describeError(error);
      return [{ kind: 'message', text: described.message, tooltip: described.hint }];
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.changed.dispose();
  }
}

export function formatPorts(service: ServiceInfo): string {
  return service.ports
    .map((port) => `${port.port}/${port.protocol}${port.name ? ` (${port.name})` : ''}`)
    .join(', ');
}
