import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where the daemon binary was looked for, so an error can name every place. */
export interface DaemonPathResult {
  readonly path: string | undefined;
  readonly searched: readonly string[];
}

/** The CLI as built in the repository, relative to the extension folder: Release first, then Debug. */
export const builtDaemonCandidates = (extensionPath: string): string[] =>
  ['Release', 'Debug'].map((configuration) =>
    path.join(extensionPath, 'daemon', 'DevSpaces.Cli', 'bin', configuration, 'net10.0', 'devspaces'),
  );

/**
 * Resolves the daemon executable to an absolute path. The extension host's PATH is not the
 * user's, so a bare command name is never used: a configured path must be absolute (or relative
 * to the extension folder), and the default is the CLI built in the repository.
 */
export function resolveDaemonPath(
  configured: string | undefined,
  extensionPath: string,
  isExecutable: (file: string) => boolean = isExecutableFile,
): DaemonPathResult {
  const setting = configured?.trim();
  if (setting) {
    const absolute = path.isAbsolute(setting) ? setting : path.resolve(extensionPath, setting);
    return { path: isExecutable(absolute) ? absolute : undefined, searched: [absolute] };
  }
  const candidates = builtDaemonCandidates(extensionPath);
  return { path: candidates.find(isExecutable), searched: candidates };
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
