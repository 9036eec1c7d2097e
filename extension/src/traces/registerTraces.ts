import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { describeError } from '../ui/ErrorPresenter';
import * as rpc from '../protocol/methods';
import { traceLines } from './traceLines';

export const TracesCommandIds = { show: 'devspaces.showTraces' } as const;

/**
 * "Show HTTP Traces": the "DevSpaces: HTTP Traces" output channel follows the router of the selected space's root,
 * one line per routed request as `devspaces traces --follow` prints them (with the propagation check's findings).
 * Following stops when the window closes or the daemon fails to answer; the command starts it again.
 */
export function registerTraces(context: CommandContext): vscode.Disposable[] {
  let channel: vscode.OutputChannel | undefined;
  let following: { space: string; stopped: boolean } | undefined;

  const follow = async (space: string, out: vscode.OutputChannel, state: { space: string; stopped: boolean }): Promise<void> => {
    let after = 0;
    while (!state.stopped) {
      try {
        const batch = await context.daemon.request(rpc.GetTraces.type, { space, after, waitSeconds: 25 });
        if (state.stopped) {
          return;
        }
        batch.traces.flatMap(traceLines).forEach((line) => out.appendLine(line));
        after = batch.next;
      } catch (error) {
        if (!state.stopped) {
          const described = describeError(error);
          out.appendLine(`Traces of '${space}' stopped: ${described.message}${described.hint ? ` ${described.hint}` : ''}`);
          state.stopped = true;
        }
      }
    }
  };

  const show = (): void => {
    const space = context.model.snapshot.selection?.space;
    if (!space) {
      void vscode.window.showInformationMessage('Select a space first: HTTP traces are those of the router of its root space.');
      return;
    }
    channel ??= vscode.window.createOutputChannel('DevSpaces: HTTP Traces');
    channel.show(true);
    if (following && !following.stopped && following.space === space) {
      return;
    }
    if (following) {
      following.stopped = true;
    }
    channel.appendLine(`Following the HTTP traces of the router of '${space}' (its root space's router)…`);
    following = { space, stopped: false };
    void follow(space, channel, following);
  };

  return [
    vscode.commands.registerCommand(TracesCommandIds.show, show),
    {
      dispose: () => {
        if (following) {
          following.stopped = true;
        }
        channel?.dispose();
      },
    },
  ];
}
