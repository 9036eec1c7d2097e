import * as vscode from 'vscode';
import { ConnectionsModel } from './ConnectionsModel';

/**
 * Shows the connected services as `service → localhost:N`; driven by the model (daemon events). Clicking it opens
 * the connection menu (disconnect, show the environment, open the log).
 */
export class ConnectStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devspaces.connect', vscode.StatusBarAlignment.Left, 99);
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connections: ConnectionsModel,
    menuCommand: string,
  ) {
    this.item.name = 'DevSpaces: Connect';
    this.item.command = menuCommand;
    this.subscription = connections.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const active = this.connections.active;
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    const parts = active.map((c) => `${c.service} → localhost:${c.localPort}${this.connections.isReconnecting(c.session) ? ' (reconnecting)' : ''}`);
    const reconnecting = active.some((c) => this.connections.isReconnecting(c.session));
    this.item.text = `$(${reconnecting ? 'sync~spin' : 'plug'}) ${parts.join(', ')}`;
    this.item.accessibilityInformation = { label: `DevSpaces connect: ${parts.join(', ')}` };
    this.item.tooltip = active
      .map(
        (c) =>
          `'${c.service}' in space '${c.space}' is served by localhost:${c.localPort} (container '${c.container}' of ${c.workload.kind === 'statefulSet' ? 'StatefulSet' : 'Deployment'} '${c.workload.name}', since ${c.startedAt}).` +
          (this.connections.isReconnecting(c.session) ? ' The tunnel dropped; reconnecting.' : ''),
      )
      .concat('Click to disconnect, see the environment or open the log.')
      .join('\n');
    this.item.backgroundColor = reconnecting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
