import * as vscode from 'vscode';
import { DaemonClient } from '../daemon/DaemonClient';

export const openSettingsAction = 'Open Settings';
export const showLogAction = 'Show Log';

/**
 * Tells the user, once each time it happens, that the daemon cannot start (missing, not executable, exits at once),
 * with the reason and the two ways out: the setting that points at another executable, and the daemon's own words
 * in the log. A status-bar colour alone would leave them guessing.
 */
export class DaemonProblemNotifier implements vscode.Disposable {
  private readonly subscription: { dispose(): void };

  constructor(daemon: DaemonClient, showLog: () => void) {
    let unavailable = false;
    this.subscription = daemon.onDidChangeState((state) => {
      if (state.kind !== 'unavailable') {
        unavailable = false;
        return;
      }
      if (unavailable) {
        return;
      }
      unavailable = true;
      void vscode.window.showErrorMessage(`${state.reason} ${state.hint}`, openSettingsAction, showLogAction).then((answer) => {
        if (answer === openSettingsAction) {
          return vscode.commands.executeCommand('workbench.action.openSettings', 'devspaces.daemonPath');
        }
        if (answer === showLogAction) {
          showLog();
        }
        return undefined;
      });
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
