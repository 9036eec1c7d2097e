import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { ConnectionsModel } from './ConnectionsModel';

/** "DevSpaces: Disconnect": ends a session (the one picked when there are several) and restores the service. */
export async function disconnectService(context: CommandContext, connections: ConnectionsModel): Promise<void> {
  try {
    const active = connections.active;
    if (active.length === 0) {
      await vscode.window.showInformationMessage('No service is connected.');
      return;
    }
    const chosen =
      active.length === 1
        ? active[0]
        : (
            await vscode.window.showQuickPick(
              active.map((c) => ({ label: c.service, description: `localhost:${c.localPort} in '${c.space}'`, info: c })),
              { placeHolder: 'Service to disconnect' },
            )
          )?.info;
    if (!chosen) {
      return;
    }
    await withDelayedProgress(`Restoring '${chosen.service}'…`, () => connections.stop(chosen.session));
    vscode.window.setStatusBarMessage(`$(debug-disconnect) '${chosen.service}' restored in the cluster`, 5000);
  } catch (error) {
    await context.errors.show('Could not disconnect', error);
  }
}
