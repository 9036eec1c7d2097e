import * as vscode from 'vscode';
import { ActiveForward, PortForwardsModel, localAddress } from './PortForwardsModel';

export const portForwardsViewId = 'devspaces.portForwards';
export const portForwardContextValue = 'devspaces.portForward';

/** A row of the "Port Forwards" view; commands get it as their argument. */
export interface PortForwardNode {
  readonly kind: 'portForward';
  readonly forwardId: string;
}

/** The "Port Forwards" view: each running forward with its ports, pod and health. */
export class PortForwardsTreeProvider implements vscode.TreeDataProvider<PortForwardNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PortForwardNode | undefined>();
  private readonly subscription: { dispose(): void };
  // VS Code maps elements to rows by object identity; stable nodes let a state change refresh only
  // its row, so a click on a row's Stop action still resolves to the row while events stream in.
  private readonly nodes = new Map<string, PortForwardNode>();

  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: PortForwardsModel) {
    this.subscription = model.onDidChange((id) => {
      const node = id === undefined ? undefined : this.nodes.get(id);
      this.changed.fire(node);
    });
  }

  getTreeItem(node: PortForwardNode): vscode.TreeItem {
    const forward = this.model.find(node.forwardId);
    if (!forward) {
      return new vscode.TreeItem(`${node.forwardId} (stopped)`, vscode.TreeItemCollapsibleState.None);
    }
    return forwardTreeItem(forward);
  }

  getChildren(node?: PortForwardNode): PortForwardNode[] {
    if (node) {
      return [];
    }
    // An empty list lets the view's welcome content offer "Forward a Port…".
    const ids = this.model.active.map((forward) => forward.info.id);
    for (const id of this.nodes.keys()) {
      if (!ids.includes(id)) {
        this.nodes.delete(id);
      }
    }
    return ids.map((id) => {
      let node = this.nodes.get(id);
      if (!node) {
        node = { kind: 'portForward', forwardId: id };
        this.nodes.set(id, node);
      }
      return node;
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function forwardTreeItem(forward: ActiveForward): vscode.TreeItem {
  const { info } = forward;
  const ports = info.ports.map((port) => `${port.localPort} → ${port.remotePort}`).join(', ');
  const item = new vscode.TreeItem(`${info.target}  ${ports}`, vscode.TreeItemCollapsibleState.None);
  item.id = `portForward:${info.id}`;
  item.contextValue = portForwardContextValue;
  item.description = forwardStatusText(forward);
  item.iconPath = new vscode.ThemeIcon(
    forward.health === 'listening' ? 'plug' : forward.health === 'noReadyPod' ? 'debug-disconnect' : 'warning',
  );
  const addresses = info.ports.map((_, index) => `http://${localAddress(info, index) ?? '?'}`).join(', ');
  item.tooltip = [
    `${info.target} in space ${info.namespace}`,
    `Local: ${addresses}`,
    `Pod: ${forward.pod ?? 'none ready'}`,
    `Open connections: ${forward.openConnections}`,
    forward.lastSwitch ? `Switched: ${forward.lastSwitch.message} (${forward.lastSwitch.time})` : undefined,
    forward.lastNotice && forward.lastNotice !== forward.lastSwitch
      ? `Last event: ${forward.lastNotice.message} (${forward.lastNotice.time})`
      : undefined,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
  return item;
}

/** The short state after the label: what a user scanning the list needs. */
export function forwardStatusText(forward: ActiveForward): string {
  const connections = forward.openConnections > 0 ? ` · ${forward.openConnections} open` : '';
  switch (forward.health) {
    case 'noReadyPod':
      return `waiting for a ready pod${connections}`;
    case 'connectionFailed':
      return `connection failed: ${forward.lastNotice?.message ?? 'see output'}${connections}`;
    case 'listening': {
      const switched = forward.lastSwitch && forward.lastSwitch.pod === forward.pod ? ' (switched)' : '';
      return `listening · ${forward.pod ?? 'no pod'}${switched}${connections}`;
    }
  }
}
