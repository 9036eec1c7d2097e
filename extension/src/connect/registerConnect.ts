import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { Logger } from '../daemon/Logger';
import { ConnectionsModel } from './ConnectionsModel';
import { ConnectStatusBar } from './ConnectStatusBar';
import { connectService } from './connectService';
import { disconnectService } from './disconnectService';

export const ConnectCommandIds = {
  connect: 'devspaces.connectService',
  disconnect: 'devspaces.disconnectService',
} as const;

/** The connect feature: its model, status-bar state and commands. */
export function registerConnect(context: CommandContext, log: Logger): vscode.Disposable[] {
  const connections = new ConnectionsModel(context.daemon, log);
  return [
    connections,
    new ConnectStatusBar(connections, ConnectCommandIds.disconnect),
    connections.onDidNotice((event) => vscode.window.setStatusBarMessage(`$(plug) ${event.message}`, 15_000)),
    vscode.commands.registerCommand(ConnectCommandIds.connect, () => connectService(context, connections)),
    vscode.commands.registerCommand(ConnectCommandIds.disconnect, () => disconnectService(context, connections)),
  ];
}
