import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import { DaemonUnavailableError } from '../daemon/DaemonErrors';
import { Logger } from '../daemon/Logger';
import { ErrorData } from '../protocol/types';

/** A failure as the user should read it: what happened and how to fix it. */
export interface UserFacingError {
  readonly message: string;
  readonly hint: string | undefined;
  readonly detail: string | undefined;
  readonly daemonDown: boolean;
}

export function describeError(error: unknown): UserFacingError {
  if (error instanceof ResponseError) {
    const data = (error.data ?? {}) as Partial<ErrorData>;
    return {
      message: error.message,
      hint: data.hint ?? undefined,
      detail: data.detail ?? undefined,
      daemonDown: false,
    };
  }
  if (error instanceof DaemonUnavailableError) {
    return { message: error.message, hint: error.hint, detail: undefined, daemonDown: true };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    hint: undefined,
    detail: undefined,
    daemonDown: false,
  };
}

/** JSON-RPC's "request cancelled" (LSP's RequestCancelled), the answer to a cancelled progress. */
const requestCancelled = -32800;

/** The user cancelled: nothing to report. */
export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (error instanceof ResponseError && error.code === requestCancelled);
}

/** Shows failures as error messages with the daemon's hint and buttons that lead somewhere. */
export class ErrorPresenter {
  constructor(
    private readonly log: Logger,
    private readonly commands: { readonly showOutput: string; readonly restartDaemon: string },
  ) {}

  async show(what: string, error: unknown): Promise<void> {
    if (isCancellation(error)) {
      return;
    }
    const described = describeError(error);
    const text = `${what}: ${described.message}${described.hint ? ` ${described.hint}` : ''}`;
    this.log.error(described.detail ? `${text}\n${described.detail}` : text);
    const actions = described.daemonDown ? ['Restart Daemon', 'Show Output'] : ['Show Output'];
    const choice = await vscode.window.showErrorMessage(text, ...actions);
    if (choice === 'Show Output') {
      await vscode.commands.executeCommand(this.commands.showOutput);
    } else if (choice === 'Restart Daemon') {
      await vscode.commands.executeCommand(this.commands.restartDaemon);
    }
  }
}
