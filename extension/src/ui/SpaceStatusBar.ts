import * as vscode from 'vscode';
import { SpacesModel, SpacesSnapshot } from '../state/SpacesModel';
import { presentStatus } from './statusBarPresentation';

export const showSpaceMenuCommand = 'devspaces.showSpaceMenu';

/** The `$(cloud) <space>` item. It renders the model, which only daemon events change. */
export class SpaceStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };

  constructor(model: SpacesModel) {
    this.item = vscode.window.createStatusBarItem('devspaces.space', vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'DevSpaces: Space';
    this.item.command = showSpaceMenuCommand;
    this.render(model.snapshot);
    this.item.show();
    this.subscription = model.onDidChange((snapshot) => this.render(snapshot));
  }

  private render(snapshot: SpacesSnapshot): void {
    const presentation = presentStatus(snapshot);
    this.item.text = presentation.text;
    this.item.tooltip = presentation.tooltip;
    this.item.accessibilityInformation = { label: presentation.label };
    this.item.backgroundColor =
      presentation.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : presentation.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
