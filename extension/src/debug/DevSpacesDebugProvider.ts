import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { DaemonLaunch } from '../daemon/DaemonSupervisor';
import { ErrorPresenter } from '../ui/ErrorPresenter';
import { UpInfo } from '../protocol/types';
import { UpsModel } from '../up/UpsModel';
import {
  AttachConfiguration,
  attachConfiguration,
  DevSpacesLaunch,
  devSpacesDebugType,
  dotNetAttach,
  dotNetDebuggerFolder,
  dotNetDebuggerNeeded,
  dotNetDebuggerSetting,
  isDotNetFolder,
  shouldReattach,
  upIdProperty,
} from './attachConfiguration';

const run = promisify(execFile);

/** The .NET debugger folder the user configured (setting, else environment variable), if any. */
export function configuredDotNetDebugger(): string | undefined {
  return dotNetDebuggerFolder(vscode.workspace.getConfiguration('devspaces').get<string>(dotNetDebuggerSetting.slice('devspaces.'.length)), process.env);
}

/**
 * F5 on a `devspaces` configuration: runs the folder's service in debug mode (or reuses the one this window keeps up in
 * debug mode), then starts the runtime's own debugger attached to it. The `devspaces` launch itself ends there; the
 * attach session is what the user debugs. When it ends the service keeps running, unless `removeOnStop` says so.
 */
export class DevSpacesDebugProvider implements vscode.DebugConfigurationProvider, vscode.Disposable {
  private readonly attached = new Map<string, { folder: vscode.WorkspaceFolder | undefined; config: AttachConfiguration; removeOnStop: boolean; endedAt?: number }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ups: UpsModel,
    private readonly errors: ErrorPresenter,
    private readonly daemon: () => DaemonLaunch,
  ) {
    this.subscriptions.push(
      vscode.debug.onDidTerminateDebugSession((session) => void this.onEnded(session)),
      ups.onDidOutput((event) => {
        const known = event.id ? this.attached.get(event.id) : undefined;
        // js-debug re-attaches by itself (restart: true); the Java and .NET sessions end with their process.
        if (known && known.config.type !== 'node' && shouldReattach(event.kind, known.endedAt, Date.now())) {
          known.endedAt = undefined;
          void this.reattach(known.folder, known.config);
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
    if (configuredDotNetDebugger() === undefined && isDotNetFolder(listFolder(folder))) {
      void vscode.window.showErrorMessage(dotNetDebuggerNeeded);
      return undefined;
    }
    let up: UpInfo;
    try {
      up = await this.ensureDebugging(folder, launch);
    } catch (error) {
      void this.errors.show(`Could not start ${path.basename(folder)} in debug mode`, error);
      return undefined;
    }
    const found = up.debug?.runtime === 'dotNet' ? await this.dotNetConfiguration(up, folder) : attachConfiguration(up, folder);
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

  /** The coreclr configuration `devspaces debug --print-launch-config` prints in the folder, run by the daemon's executable. */
  private async dotNetConfiguration(up: UpInfo, folder: string): Promise<{ config: AttachConfiguration } | { problem: string }> {
    if (configuredDotNetDebugger() === undefined) {
      return { problem: dotNetDebuggerNeeded };
    }
    try {
      const daemon = this.daemon();
      const { stdout } = await run(daemon.command, ['debug', '--print-launch-config', '--space', up.space], { cwd: folder, env: daemon.env, timeout: 60_000 });
      return dotNetAttach(up, folder, stdout, daemon.command, daemon.env?.KUBECONFIG);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      return { problem: `Could not read the .NET attach configuration of ${up.service}: ${stderr || (error as Error).message}` };
    }
  }

  /** Starts a session that ended with its process again; a .NET one with the new process's id. */
  private async reattach(folder: vscode.WorkspaceFolder | undefined, config: AttachConfiguration): Promise<void> {
    const id = config[upIdProperty];
    const up = this.ups.active.find((u) => u.id === id);
    if (config.type === 'coreclr' && up) {
      const found = await this.dotNetConfiguration(up, up.folder);
      if (!('config' in found)) {
        void vscode.window.showErrorMessage(found.problem);
        return;
      }
      config = found.config;
      const known = this.attached.get(up.id);
      if (known) {
        known.config = config;
      }
    }
    await vscode.debug.startDebugging(folder, config);
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

function listFolder(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch {
    return [];
  }
}
