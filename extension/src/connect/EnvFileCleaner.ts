import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '../daemon/Logger';
import { ConnectionsModel } from './ConnectionsModel';
import { envFileRelativePath } from './launchConfiguration';

/**
 * Deletes `.devspaces/connect-<service>.env` when the service's session ends (Disconnect, the agent restored it, the
 * daemon stopped): the file may hold the service's secrets and is of no use without the session. F5 on the
 * configuration writes it again.
 */
export class EnvFileCleaner {
  private connected = new Set<string>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connections: ConnectionsModel,
    private readonly folder: () => string | undefined,
    private readonly log: Logger,
  ) {
    this.subscription = connections.onDidChange(() => this.onChange());
  }

  private onChange(): void {
    const now = new Set(this.connections.active.map((info) => info.service));
    const folder = this.folder();
    for (const service of this.connected) {
      if (!now.has(service) && folder) {
        // Synchronous: a session also ends while the window closes, when nothing after this would run.
        const file = path.join(folder, envFileRelativePath(service));
        try {
          fs.rmSync(file, { force: true });
        } catch (error) {
          this.log.warn(`Could not delete ${file}: ${(error as Error).message}`);
        }
      }
    }
    this.connected = now;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
