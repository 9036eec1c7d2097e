import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { Logger } from '../daemon/Logger';
import { ConnectDebugProvider } from './ConnectDebugProvider';
import { ConnectionNotifier } from './ConnectionNotifier';
import { connectionMenu } from './connectionMenu';
import { ConnectionsModel } from './ConnectionsModel';
import { ConnectStatusBar } from './ConnectStatusBar';
import { connectService } from './connectService';
import { disconnect, disconnectService } from './disconnectService';
import { EnvFileCleaner } from './EnvFileCleaner';
import { connectDebugTypes } from './launchConfiguration';
import { localWorkspaceFolder, ServiceConnector } from './ServiceConnector';

export const ConnectCommandIds = {
  connect: 'devspaces.connectService',
  disconnect: 'devspaces.disconnectService',
  menu: 'devspaces.connectionMenu',
} as const;

/**
 * The connect feature: its model, status-bar state, notifications, commands and the F5 hook. The hook is registered
 * only for the debug types a connected configuration can have, and leaves every configuration without the marker
 * alone: F5 in another project neither waits for nor starts the daemon.
 */
export function registerConnect(context: CommandContext, log: Logger): vscode.Disposable[] {
  const connections = new ConnectionsModel(context.daemon);
  const connector = new ServiceConnector(connections, () => context.model.snapshot.selection?.space);
  const debugProvider = new ConnectDebugProvider(connector, context.errors);
  return [
    connections,
    new ConnectStatusBar(connections, ConnectCommandIds.menu),
    new ConnectionNotifier(connections, ConnectCommandIds.connect, context.showOutput),
    new EnvFileCleaner(connections, () => localWorkspaceFolder(), log),
    ...connectDebugTypes.map((type) => vscode.debug.registerDebugConfigurationProvider(type, debugProvider)),
    vscode.commands.registerCommand(ConnectCommandIds.connect, () => connectService(context, connector)),
    vscode.commands.registerCommand(ConnectCommandIds.disconnect, () => disconnectService(context, connections)),
    vscode.commands.registerCommand(ConnectCommandIds.menu, () =>
      connectionMenu(context, connections, (info) => disconnect(context, connections, info)),
    ),
  ];
}
