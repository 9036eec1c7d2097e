import * as path from 'node:path';
import * as vscode from 'vscode';
import { ErrorPresenter } from '../ui/ErrorPresenter';
import { UpInfo } from '../protocol/types';
import { UpsModel } from '../up/UpsModel';
import { attachConfiguration, DevSpacesLaunch, devSpacesDebugType, shouldReattach, upIdProperty } from './attachConfiguration';

/**
 * F5 on a `devspaces` configuration: runs the folder's service in debug mode (or reuses the one this window keeps up in
 * debug mode), then starts the runtime's own debugger attached to it. The `devspaces` launch itself ends there; the
 * attach session is what the user debugs. When it ends the service keeps running, unless `removeOnStop` says so.
 */
export class DevSpacesDebugProvider implements vscode.DebugConfigurationProvider, vscode.Disposable {
  private readonly attached = new Map<string, { folder: vscode.WorkspaceFolder | undefined; config: vscode.DebugConfiguration; removeOnStop: boolean; endedAt?: number }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ups: UpsModel,
    private readonly errors: ErrorPresenter,
  ) {
    this.subscriptions.push(
      vscode.debug.onDidTerminateDebugSession((session) => void this.onEnded(session)),
      ups.onDidOutput((event) => {
        const known = event.id ? this.attached.get(event.id) : undefined;
        if (known && known.config.type === 'java' && shouldReattach(event.kind, known.endedAt, Date.now())) {
          known.endedAt = undefined;
          void vscode.debug.startDebugging(known.folder, known.config);
        }
      }),
    );
  }

  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [{ type: devSpacesDebugType, request: 'launch', name: 'DevSpaces: Debug in the Cluster', folder: '${workspaceFolder}' }];
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    workspaceFolder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const launch = configuration as vscode.DebugConfiguration & DevSpacesLaunch;
    const folder = launch.folder ?? workspaceFolder?.uri.fsPath;
    if (!folder) {
      void vscode.window.showErrorMessage(`'${configuration.name}' needs a service folder: open the service's folder or set "folder" in launch.json.`);
      return undefined;
    }
    let up: UpInfo;
    try {
      up = await this.ensureDebugging(folder, launch);
    } catch (error) {
      void this.errors.show(`Could not start ${path.basename(folder)} in debug mode`, error);
      return undefined;
    }
    const found = attachConfiguration(up, folder);
    if (!('config' in found)) {
      void vscode.window.showErrorMessage(found.problem);
      return undefined;
    }
    const attach = found.config;
    this.attached.set(up.id, { folder: workspaceFolder, config: attach, removeOnStop: launch.removeOnStop === true });
    await vscode.debug.startDebugging(workspaceFolder, attach);
    // The attach session is the debug session; this launch has nothing more to run.
    return undefined;
  }

  /** The service up in debug mode: the one this window keeps, or started (again, when it runs without debug mode). */
  private async ensureDebugging(folder: string, launch: DevSpacesLaunch): Promise<UpInfo> {
    const running = this.ups.active.find((u) => u.folder === folder && (launch.space === undefined || u.space === launch.space));
    if (running?.debug && running.debug.stopOnEntry === (launch.stopOnEntry === true)) {
      return running;
    }
    if (running) {
      await this.ups.stop(running.id);
    }
    const buildArgs = launch.buildArgs ?? vscode.workspace.getConfiguration('devspaces').get<string[]>('up.buildArgs', []);
    const service = path.basename(folder);
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Starting ${service} in debug mode`, cancellable: true },
      (_progress, token) =>
        this.ups.start(
          { folder, space: launch.space ?? null, localPort: null, watch: true, buildArgs, debug: true, stopOnEntry: launch.stopOnEntry === true, debugPort: null },
          service,
          token,
        ),
    );
  }

  private async onEnded(session: vscode.DebugSession): Promise<void> {
    const id = (session.configuration as Record<string, unknown>)[upIdProperty];
    const known = typeof id === 'string' ? this.attached.get(id) : undefined;
    if (!known || typeof id !== 'string') {
      return;
    }
    known.endedAt = Date.now();
    if (known.removeOnStop) {
      this.attached.delete(id);
      const up = this.ups.active.find((u) => u.id === id);
      try {
        if (up) {
          await this.ups.down(up.folder, up.space);
        }
      } catch (error) {
        void this.errors.show('Could not remove the service after debugging', error);
      }
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
  }
}
