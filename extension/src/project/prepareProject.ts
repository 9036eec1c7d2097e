import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { Logger } from '../daemon/Logger';
import * as rpc from '../protocol/methods';
import { ProjectPrepResult } from '../protocol/types';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { projectFileName } from './problemRanges';

const otherFolder = 'Another folder…';

/** "DevSpaces: Prepare Project…": the folder (a workspace folder or another), then `project/prep`, then what happened. */
export async function prepareProject(context: CommandContext, log: Logger): Promise<void> {
  const folder = await pickFolder();
  if (!folder) {
    return;
  }
  let result: ProjectPrepResult;
  try {
    result = await withDelayedProgress('Preparing the project…', () =>
      context.daemon.request(rpc.PrepareProject.type, { folder, service: null }),
    );
  } catch (error) {
    await context.errors.show('Could not prepare the project', error);
    return;
  }
  for (const note of result.notes) {
    log.info(`prep ${result.folder}: ${note}`);
  }
  const open = `Open ${projectFileName}`;
  const answer = await vscode.window.showInformationMessage(prepSummary(result), open);
  if (answer === open) {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(result.folder, projectFileName)));
  }
}

/** One line for the notification: what was written, what was kept, and that the notes are in the log. */
export function prepSummary(result: ProjectPrepResult): string {
  const parts = [`Prepared '${result.service}' (${result.runtime}).`];
  parts.push(result.written.length > 0 ? `Wrote ${result.written.join(', ')}.` : 'Wrote nothing.');
  if (result.skipped.length > 0) {
    parts.push(`Kept the existing ${result.skipped.join(', ')}.`);
  }
  if (result.notes.length > 0) {
    parts.push('Notes are in the DevSpaces output.');
  }
  return parts.join(' ');
}

async function pickFolder(): Promise<string | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const picked = await vscode.window.showQuickPick([...folders, otherFolder], {
    placeHolder: 'The folder of the service to prepare for DevSpaces',
  });
  if (picked !== otherFolder) {
    return picked;
  }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false });
  return chosen?.[0]?.fsPath;
}
