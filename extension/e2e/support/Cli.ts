import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The real devspaces CLI and kubectl, pointed at the test cluster. */
export class Cli {
  constructor(
    private readonly daemon: string,
    private readonly kubeconfig: string,
  ) {}

  async devspaces(args: string[], cwd?: string): Promise<string> {
    try {
      const { stdout } = await run(this.daemon, args, {
        cwd,
        env: { ...process.env, KUBECONFIG: this.kubeconfig },
        timeout: 60_000,
      });
      return stdout;
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`devspaces ${args.join(' ')} failed: ${failed.stderr?.trim() || failed.message}`);
    }
  }

  async devspacesJson<T>(args: string[], cwd?: string): Promise<T> {
    return JSON.parse(await this.devspaces([...args, '--output', 'json'], cwd)) as T;
  }

  /** The namespace as the API server has it, or undefined when it does not exist. */
  async namespace(name: string): Promise<{ metadata: { labels?: Record<string, string> }; status: { phase: string } } | undefined> {
    try {
      const { stdout } = await run('kubectl', ['--kubeconfig', this.kubeconfig, 'get', 'namespace', name, '-o', 'json'], {
        timeout: 30_000,
      });
      return JSON.parse(stdout) as { metadata: { labels?: Record<string, string> }; status: { phase: string } };
    } catch (error) {
      if (String((error as { stderr?: string }).stderr).includes('NotFound')) {
        return undefined;
      }
      throw error;
    }
  }

  /** kubectl on the test cluster; a `--kubeconfig` in args takes precedence. */
  async kubectl(args: string[]): Promise<string> {
    const kubeconfig = args.includes('--kubeconfig') ? [] : ['--kubeconfig', this.kubeconfig];
    const { stdout } = await run('kubectl', [...kubeconfig, ...args], { timeout: 60_000 });
    return stdout;
  }

  /**
   * Deletes a test namespace and waits (bounded) for it to go, which keeps later suites' space lists short; if it
   * takes longer, the deletion completes on its own. Used in clean-up, so it never throws.
   */
  async deleteNamespaceAndWait(name: string): Promise<void> {
    await this.kubectl(['delete', 'namespace', name, '--ignore-not-found', '--timeout=50s']).catch(() => this.deleteNamespaces([name]));
  }

  /** Deletes test namespaces whatever state they are in; used in clean-up, so it never throws. */
  async deleteNamespaces(names: string[]): Promise<void> {
    if (names.length === 0) {
      return;
    }
    await run('kubectl', ['--kubeconfig', this.kubeconfig, 'delete', 'namespace', '--ignore-not-found', '--wait=false', ...names], {
      timeout: 60_000,
    }).catch(() => undefined);
  }
}
