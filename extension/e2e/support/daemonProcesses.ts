import * as fs from 'node:fs';

/** Daemon processes started for this code-server (their --log-dir is inside its user data): the packaged daemon. */
export function daemonProcesses(userDataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const logDir = argv[argv.indexOf('--log-dir') + 1];
    if (argv[0]?.endsWith('/dist/daemon/devspaces') && argv[1] === 'daemon' && logDir?.startsWith(userDataDir)) {
      pids.push(Number(entry));
    }
  }
  return pids;
}
