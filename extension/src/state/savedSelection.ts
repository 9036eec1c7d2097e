import * as fs from 'node:fs';
import * as path from 'node:path';
import { Selection } from '../protocol/types';

/** Where the daemon and the CLI remember the folder's context and space. */
export function stateFile(folder: string): string {
  return path.join(folder, '.devspaces', 'state.json');
}

/**
 * The selection remembered in `.devspaces/state.json`, read without the daemon so that the status bar can show it
 * before anything touches the cluster. Undefined when there is none or the file is not what the daemon writes.
 */
export function readSavedSelection(folder: string): Selection | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(stateFile(folder), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return undefined;
  }
  const { context, space } = parsed as Record<string, unknown>;
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return { context: text(context), space: text(space), workspaceFolder: folder, reason: null };
}
