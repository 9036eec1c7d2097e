import * as vscode from 'vscode';
import { ConnectEventInfo } from '../protocol/types';
import { ConnectionsModel, EndedSession } from './ConnectionsModel';

/**
 * Tells the user what happens to a connection without being asked: a session that ends on its own (the agent
 * restored the service, the daemon stopped), a dropped tunnel, and requests that found nothing listening locally
 * (once per session, not once per request).
 */
export class ConnectionNotifier implements vscode.Disposable {
  private readonly subscriptions: { dispose(): void }[];
  private readonly toldNotListening = new Set<string>();

  constructor(
    connections: ConnectionsModel,
    private readonly connectCommand: string,
    private readonly showOutput: () => void,
  ) {
    this.subscriptions = [connections.onDidEnd((ended) => this.onEnded(ended)), connections.onDidNotice((event) => this.onNotice(event))];
  }

  private onEnded({ info, reason }: EndedSession): void {
    this.toldNotListening.delete(info.session);
    const again = 'Connect Again';
    const log = 'Open Log';
    void vscode.window
      .showWarningMessage(`'${info.service}' is no longer connected; the cluster serves it itself again. ${reason}`, again, log)
      .then((answer) => {
        if (answer === again) {
          return vscode.commands.executeCommand(this.connectCommand);
        }
        if (answer === log) {
          this.showOutput();
        }
        return undefined;
      });
  }

  private onNotice(event: ConnectEventInfo): void {
    vscode.window.setStatusBarMessage(`$(plug) ${event.message}`, 15_000);
    if (event.kind === 'tunnelLost') {
      void vscode.window.showWarningMessage(`The tunnel of '${event.service}' dropped; reconnecting. ${event.message}`);
    } else if (event.kind === 'warning') {
      void vscode.window.showWarningMessage(`'${event.service}': ${event.message}`);
    } else if (event.kind === 'localPortNotListening' && event.session && !this.toldNotListening.has(event.session)) {
      this.toldNotListening.add(event.session);
      void vscode.window.showWarningMessage(event.message);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
