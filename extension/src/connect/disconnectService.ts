import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { ConnectInfo } from '../protocol/types';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { ConnectionsModel } from './ConnectionsModel';

/** "DevSpaces: Disconnect": ends a session (the one picked when there are several) and restores the service. */
export async function disconnectService(context: CommandContext, connections: ConnectionsModel): Promise<void> {
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
  if (chosen) {
    await disconnect(context, connections, chosen);
  }
}

/** Ends one session; the daemon restores the service exactly (replicas back, agent and record gone). */
export async function disconnect(context: CommandContext, connections: ConnectionsModel, info: ConnectInfo): Promise<void> {
  try {
    await withDelayedProgress(`Restoring '${info.service}'…`, () => connections.stop(info.session));
    vscode.window.setStatusBarMessage(`$(debug-disconnect) '${info.service}' restored in the cluster`, 5000);
  } catch (error) {
    await context.errors.show(`Could not disconnect '${info.service}'`, error);
  }
}
