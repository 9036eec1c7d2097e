import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { Logger } from '../daemon/Logger';
import { forwardPort } from './forwardPort';
import { PortForwardsModel } from './PortForwardsModel';
import { PortForwardsTreeProvider, portForwardsViewId } from './PortForwardsTreeProvider';
import { stopPortForward } from './stopPortForward';

export const PortForwardCommandIds = {
  forwardPort: 'devspaces.forwardPort',
  stopPortForward: 'devspaces.stopPortForward',
} as const;

const podSwitchMessageMs = 15_000;

/** The port-forwarding feature: its model, the "Port Forwards" view and its commands. */
export function registerPortForwarding(context: CommandContext, log: Logger): vscode.Disposable[] {
  const forwards = new PortForwardsModel(context.daemon, log);
  const tree = new PortForwardsTreeProvider(forwards);
  return [
    forwards,
    tree,
    vscode.window.registerTreeDataProvider(portForwardsViewId, tree),
    // A switch changes where requests land, so it is worth a glance even with the output closed.
    forwards.onDidSwitchPod((event) => vscode.window.setStatusBarMessage(`$(plug) ${event.message}`, podSwitchMessageMs)),
    vscode.commands.registerCommand(PortForwardCommandIds.forwardPort, (argument?: unknown) =>
      forwardPort(context, forwards, argument),
    ),
    vscode.commands.registerCommand(PortForwardCommandIds.stopPortForward, (argument?: unknown) =>
      stopPortForward(context, forwards, argument),
    ),
  ];
}
