import * as vscode from 'vscode';
import { UpActivity, UpsModel } from './UpsModel';
import { statusParts } from './upStatusParts';

const icons: Record<UpActivity, string> = { starting: 'sync~spin', running: 'cloud-upload', rebuilding: 'sync~spin', failed: 'warning' };

/** The services that are up, as `$(cloud-upload) frontend`; clicking opens the up menu. Driven by the model. */
export class UpStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('devspaces.up', vscode.StatusBarAlignment.Left, 98);
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly ups: UpsModel,
    menuCommand: string,
  ) {
    this.item.name = 'DevSpaces: Run in Cluster';
    this.item.command = menuCommand;
    this.subscription = ups.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const parts = statusParts(this.ups);
    if (parts.length === 0) {
      this.item.hide();
      return;
    }
    const failed = parts.some((p) => p.activity === 'failed');
    this.item.text = parts.map((p) => `$(${icons[p.activity]}) ${p.service}`).join('  ');
    this.item.tooltip = parts.map((p) => p.tooltip).concat('Click to open a service, its output, stop watching or remove it.').join('\n');
    this.item.accessibilityInformation = { label: `DevSpaces running in cluster: ${parts.map((p) => `${p.service} ${p.activity}`).join(', ')}` };
    this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
