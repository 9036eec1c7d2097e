import * as vscode from 'vscode';
import { ConnectionsModel } from './ConnectionsModel';

/** Shows the connected services; driven by the model (daemon events), clicking it disconnects. */
export class ConnectStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 99);
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connections: ConnectionsModel,
    disconnectCommand: string,
  ) {
    this.item.command = disconnectCommand;
    this.subscription = connections.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const active = this.connections.active;
    if (active.length === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(plug) ${active.map((c) => `${c.service} → :${c.localPort}`).join(', ')}`;
    this.item.tooltip = active
      .map((c) => `${c.service} in '${c.space}' is served by localhost:${c.localPort} (deployment ${c.deployment} taken over since ${c.startedAt}). Click to disconnect.`)
      .join('\n');
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
