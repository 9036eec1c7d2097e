import * as vscode from 'vscode';
import { CommandContext, CommandIds } from './CommandContext';
import { createChildSpace } from './createChildSpace';
import { deleteSpace } from './deleteSpace';
import { selectContext } from './selectContext';
import { selectSpace } from './selectSpace';
import { showSpaceMenu } from './showSpaceMenu';
import { copySpaceUrl, openSpaceUrl } from './spaceUrl';
import { withDelayedProgress } from '../ui/withDelayedProgress';

/** Registers every command of the extension; each handler reports its own failures. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(CommandIds.selectSpace, (argument?: unknown) => selectSpace(context, argument)),
    vscode.commands.registerCommand(CommandIds.createChildSpace, (argument?: unknown) =>
      createChildSpace(context, argument),
    ),
    vscode.commands.registerCommand(CommandIds.deleteSpace, (argument?: unknown) => deleteSpace(context, argument)),
    vscode.commands.registerCommand(CommandIds.copySpaceUrl, (argument?: unknown) => copySpaceUrl(context, argument)),
    vscode.commands.registerCommand(CommandIds.openSpaceUrl, (argument?: unknown) => openSpaceUrl(context, argument)),
    vscode.commands.registerCommand(CommandIds.selectContext, () => selectContext(context)),
    vscode.commands.registerCommand(CommandIds.showSpaceMenu, () => showSpaceMenu(context)),
    vscode.commands.registerCommand(CommandIds.showOutput, () => context.showOutput()),
    vscode.commands.registerCommand(CommandIds.refresh, () => context.model.reloadTree()),
    vscode.commands.registerCommand(CommandIds.restartDaemon, async () => {
      try {
        await withDelayedProgress('Restarting the DevSpaces daemon…', () => context.restartDaemon());
      } catch (error) {
        await context.errors.show('Could not restart the daemon', error);
      }
    }),
  ];
}
