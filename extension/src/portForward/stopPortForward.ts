import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { PortForwardsModel, describeForward } from './PortForwardsModel';
import { forwardStatusText } from './PortForwardsTreeProvider';

/** "DevSpaces: Stop Port Forward…": the forward clicked in the view, or one the user picks. */
export async function stopPortForward(context: CommandContext, forwards: PortForwardsModel, argument?: unknown): Promise<void> {
  try {
    const id = forwardIdFromArgument(argument) ?? (await pickForward(forwards));
    if (!id) {
      return;
    }
    const forward = forwards.find(id);
    const label = forward ? describeForward(forward.info) : id;
    await withDelayedProgress(`Stopping port forward ${label}…`, () => forwards.stop(id));
    vscode.window.setStatusBarMessage(`$(debug-disconnect) Stopped port forward ${label}`, 5000);
  } catch (error) {
    await context.errors.show('Could not stop the port forward', error);
  }
}

function forwardIdFromArgument(argument: unknown): string | undefined {
  const node = argument as { kind?: unknown; forwardId?: unknown } | undefined;
  return node?.kind === 'portForward' && typeof node.forwardId === 'string' ? node.forwardId : undefined;
}

async function pickForward(forwards: PortForwardsModel): Promise<string | undefined> {
  const active = forwards.active;
  if (active.length === 0) {
    await vscode.window.showInformationMessage('No ports are being forwarded.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    active.map((forward) => ({
      label: describeForward(forward.info),
      description: forwardStatusText(forward),
      id: forward.info.id,
    })),
    { placeHolder: 'Port forward to stop' },
  );
  return picked?.id;
}
