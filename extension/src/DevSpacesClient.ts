import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MessageConnection } from 'vscode-jsonrpc';
import { CommandContext, CommandIds } from './commands/CommandContext';
import { registerCommands } from './commands/registerCommands';
import { DaemonNotFoundError } from './daemon/DaemonErrors';
import { resolveDaemonPath } from './daemon/DaemonPath';
import { registerConnect } from './connect/registerConnect';
import { registerPortForwarding } from './portForward/registerPortForwarding';
import { registerProject } from './project/registerProject';
import { DaemonLaunch, DaemonSupervisor } from './daemon/DaemonSupervisor';
import * as rpc from './protocol/methods';
import { SpacesModel } from './state/SpacesModel';
import { ErrorPresenter } from './ui/ErrorPresenter';
import { SpaceStatusBar } from './ui/SpaceStatusBar';
import { SpacesTreeProvider, spacesViewId } from './ui/SpacesTreeProvider';

/** Assembles the extension: the daemon, the model it feeds, and the UI that renders the model. */
export class DevSpacesClient implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly daemon: DaemonSupervisor;

  constructor(private readonly context: vscode.ExtensionContext) {
    const output = vscode.window.createOutputChannel('DevSpaces', { log: true });
    this.disposables.push(output);

    this.daemon = new DaemonSupervisor({
      launch: () => this.launch(),
      initialize: (connection) => this.initialize(connection, output),
      shutdown: async (connection) => {
        await connection.sendRequest(rpc.Shutdown.type, {});
      },
      log: output,
    });
    const model = new SpacesModel(this.daemon, output);
    const errors = new ErrorPresenter(output, { showOutput: CommandIds.showOutput, restartDaemon: CommandIds.restartDaemon });
    const commandContext: CommandContext = {
      daemon: this.daemon,
      model,
      errors,
      showOutput: () => output.show(true),
      restartDaemon: () => this.daemon.restart(),
    };
    const tree = new SpacesTreeProvider(model);
    this.disposables.push(
      model,
      new SpaceStatusBar(model),
      tree,
      vscode.window.registerTreeDataProvider(spacesViewId, tree),
      ...registerCommands(commandContext),
      ...registerPortForwarding(commandContext, output),
      ...registerConnect(commandContext, output),
      ...registerProject(commandContext, output),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('devspaces.daemonPath') || event.affectsConfiguration('devspaces.kubeconfig')) {
          output.info('DevSpaces settings changed; restarting the daemon.');
          this.daemon.restart().catch((error: unknown) => void errors.show('Could not restart the daemon', error));
        }
      }),
    );
  }

  start(): void {
    this.daemon.start();
  }

  /** Shuts the daemon down cleanly (VS Code awaits this on deactivation). */
  async stop(): Promise<void> {
    await this.daemon.stop();
  }

  dispose(): void {
    this.daemon.dispose();
    for (const disposable of this.disposables.reverse()) {
      disposable.dispose();
    }
  }

  private launch(): DaemonLaunch {
    const settings = vscode.workspace.getConfiguration('devspaces');
    const resolved = resolveDaemonPath(settings.get<string>('daemonPath'), this.context.extensionPath);
    if (!resolved.path) {
      throw new DaemonNotFoundError(
        `The DevSpaces daemon was not found (looked at ${resolved.searched.join(', ')}).`,
        "Build it with 'dotnet build daemon/DevSpaces.Cli -c Release', or set 'devspaces.daemonPath' to the absolute path of the devspaces executable.",
      );
    }
    const logDir = this.context.logUri.fsPath;
    fs.mkdirSync(logDir, { recursive: true });
    const env = { ...process.env };
    const kubeconfig = settings.get<string>('kubeconfig')?.trim();
    if (kubeconfig) {
      env.KUBECONFIG = kubeconfig;
    }
    const folder = workspaceFolder();
    return {
      command: resolved.path,
      args: ['daemon', '--stdio', '--client-pid', String(process.pid), '--log-dir', logDir],
      cwd: folder ?? path.dirname(resolved.path),
      env,
    };
  }

  private async initialize(connection: MessageConnection, output: vscode.LogOutputChannel): Promise<string> {
    const extensionVersion = (this.context.extension.packageJSON as { version?: string }).version ?? null;
    const result = await connection.sendRequest(rpc.Initialize.type, {
      clientName: `VS Code ${vscode.version}`,
      clientVersion: extensionVersion,
      workspaceFolder: workspaceFolder() ?? null,
    });
    if (result.protocolVersion !== rpc.protocolVersion) {
      output.warn(
        `The daemon speaks protocol version ${result.protocolVersion}, this extension ${rpc.protocolVersion}; update the one that is older.`,
      );
    }
    return result.version;
  }
}

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}
