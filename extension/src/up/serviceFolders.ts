import * as path from 'node:path';

export const projectFile = 'devspaces.yaml';

/**
 * The folder of the service the user is working on: the nearest folder holding devspaces.yaml above the active
 * file, staying inside the workspace folder that contains it; undefined when there is none.
 */
export function serviceFolderOf(file: string | undefined, workspaceFolders: readonly string[], exists: (p: string) => boolean): string | undefined {
  if (!file) {
    return undefined;
  }
  const root = workspaceFolders.filter((f) => file === f || file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
  if (!root) {
    return undefined;
  }
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, projectFile))) {
      return dir;
    }
    if (dir === root || path.dirname(dir) === dir) {
      return undefined;
    }
  }
}
