import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the daemon binary was looked for, so an error can name every place. */
export interface DaemonPathResult {
  readonly path: string | undefined;
  readonly searched: readonly string[];
  /** A file that is there but cannot be run (no execute permission, a folder…), with why. */
  readonly notExecutable?: { readonly file: string; readonly reason: string };
}

/** The daemon the platform-specific package carries (`extension/package` puts it there). */
export const bundledDaemon = (extensionPath: string, platform: NodeJS.Platform = process.platform): string =>
  path.join(extensionPath, 'dist', 'daemon', platform === 'win32' ? 'devspaces.exe' : 'devspaces');

/** The CLI as built in the repository, relative to the extension folder: Release first, then Debug. */
export const builtDaemonCandidates = (extensionPath: string): string[] =>
  ['Release', 'Debug'].map((configuration) =>
    path.join(extensionPath, 'daemon', 'DevSpaces.Cli', 'bin', configuration, 'net10.0', 'devspaces'),
  );

/** How a candidate file looks: missing, runnable, or there but not runnable (and why). */
export type FileCheck = { readonly kind: 'missing' } | { readonly kind: 'executable' } | { readonly kind: 'notExecutable'; readonly reason: string };

/**
 * Resolves the daemon executable to an absolute path. The extension host's PATH is not the user's, so a bare
 * command name is never used: a configured path must be absolute (or relative to the extension folder); without
 * one, the daemon in the package, then the CLI built in the repository (when the extension runs from a checkout).
 */
export function resolveDaemonPath(configured: string | undefined, extensionPath: string, check: (file: string, ours: boolean) => FileCheck = checkFile): DaemonPathResult {
  const setting = configured?.trim();
  const candidates = setting
    ? [path.isAbsolute(setting) ? setting : path.resolve(extensionPath, setting)]
    : [bundledDaemon(extensionPath), ...builtDaemonCandidates(extensionPath)];
  let notExecutable: DaemonPathResult['notExecutable'];
  for (const candidate of candidates) {
    const found = check(candidate, !setting && candidate === bundledDaemon(extensionPath));
    if (found.kind === 'executable') {
      return { path: candidate, searched: candidates };
    }
    if (found.kind === 'notExecutable') {
      notExecutable ??= { file: candidate, reason: found.reason };
    }
  }
  return notExecutable ? { path: undefined, searched: candidates, notExecutable } : { path: undefined, searched: candidates };
}

/**
 * Checks a candidate. The package's own daemon without the execute bit (an unpacked archive may drop it) gets it,
 * as it must run without the user doing anything; a file the user named is never changed.
 */
export function checkFile(file: string, ours: boolean): FileCheck {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { kind: 'missing' };
  }
  if (!stat.isFile()) {
    return { kind: 'notExecutable', reason: 'it is not a file' };
  }
  if (canExecute(file)) {
    return { kind: 'executable' };
  }
  if (!ours) {
    return { kind: 'notExecutable', reason: 'it is not executable' };
  }
  try {
    fs.chmodSync(file, stat.mode | 0o755);
  } catch (error) {
    return { kind: 'notExecutable', reason: `it is not executable and could not be made so (${(error as Error).message})` };
  }
  return canExecute(file) ? { kind: 'executable' } : { kind: 'notExecutable', reason: 'it is not executable' };
}

function canExecute(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
