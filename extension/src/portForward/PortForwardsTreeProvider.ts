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

  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: PortForwardsModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
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
    return this.model.active.map((forward) => ({ kind: 'portForward', forwardId: forward.info.id }));
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
    forward.lastNotice ? `Last event: ${forward.lastNotice.message} (${forward.lastNotice.time})` : undefined,
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
      const switched = forward.lastNotice?.kind === 'podSwitched' ? ' (switched)' : '';
      return `listening · ${forward.pod ?? 'no pod'}${switched}${connections}`;
    }
  }
}
