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
import { registerUp } from './up/registerUp';
import { UpsModel } from './up/UpsModel';
import { registerDebug } from './debug/registerDebug';
import { dotNetDebuggerSetting, dotNetDebuggerVariable } from './debug/attachConfiguration';
import { configuredDotNetDebugger } from './debug/DevSpacesDebugProvider';
import { registerTraces } from './traces/registerTraces';
import { DaemonLaunch, DaemonSupervisor } from './daemon/DaemonSupervisor';
import * as rpc from './protocol/methods';
import { readSavedSelection, stateFile } from './state/savedSelection';
import { SpacesModel } from './state/SpacesModel';
import { DaemonProblemNotifier } from './ui/DaemonProblemNotifier';
import { ErrorPresenter } from './ui/ErrorPresenter';
import { SpaceStatusBar } from './ui/SpaceStatusBar';
import { SpacesTreeProvider, spacesViewId } from './ui/SpacesTreeProvider';

/**
 * Assembles the extension: the daemon, the model it feeds, and the UI that renders the model. The daemon starts with
 * the first request (a click on the status bar, a command, an expanded view), so a window that never touches
 * Kubernetes costs no process.
 */
export class DevSpacesClient implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly daemon: DaemonSupervisor;
  private readonly model: SpacesModel;

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
    this.model = model;
    const errors = new ErrorPresenter(output, { showOutput: CommandIds.showOutput, restartDaemon: CommandIds.restartDaemon });
    const commandContext: CommandContext = {
      daemon: this.daemon,
      model,
      errors,
      showOutput: () => output.show(true),
      restartDaemon: () => this.daemon.restart(),
    };
    const tree = new SpacesTreeProvider(model);
    const ups = new UpsModel(this.daemon);
    this.disposables.push(
      model,
      new SpaceStatusBar(model),
      new DaemonProblemNotifier(this.daemon, () => output.show(true)),
      tree,
      vscode.window.registerTreeDataProvider(spacesViewId, tree),
      ...registerCommands(commandContext),
      ...registerPortForwarding(commandContext, output),
      ...registerConnect(commandContext, output),
      ...registerProject(commandContext, output),
      ...registerUp(commandContext, ups),
      ...registerDebug(commandContext, ups, () => this.launch()),
      ...registerTraces(commandContext),
      vscode.workspace.onDidChangeConfiguration((event) => {
        // An idle daemon picks the settings up when it starts.
        const affected = ['devspaces.daemonPath', 'devspaces.kubeconfig', dotNetDebuggerSetting].some((setting) => event.affectsConfiguration(setting));
        if (affected && this.daemon.state.kind !== 'idle') {
          output.info('DevSpaces settings changed; restarting the daemon.');
          this.daemon.restart().catch((error: unknown) => void errors.show('Could not restart the daemon', error));
        }
      }),
    );
  }

  /** Shows the space remembered in the folder (and follows the file) until the daemon is needed. */
  start(): void {
    const folder = workspaceFolder();
    if (!folder) {
      return;
    }
    const show = (): void => this.model.showSavedSelection(readSavedSelection(folder));
    show();
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(path.dirname(stateFile(folder)), 'state.json'));
    this.disposables.push(watcher, watcher.onDidCreate(show), watcher.onDidChange(show), watcher.onDidDelete(show));
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
    const configured = settings.get<string>('daemonPath')?.trim();
    const resolved = resolveDaemonPath(configured, this.context.extensionPath);
    if (!resolved.path) {
      const problem = resolved.notExecutable
        ? `The DevSpaces daemon ${resolved.notExecutable.file} cannot be run: ${resolved.notExecutable.reason}.`
        : `The DevSpaces daemon was not found (looked at ${resolved.searched.join(', ')}).`;
      throw new DaemonNotFoundError(
        problem,
        configured
          ? "Set 'devspaces.daemonPath' to the absolute path of a devspaces executable, or clear it to use the daemon in the extension."
          : `This DevSpaces package carries no daemon for ${process.platform}-${process.arch}: install the package built for this platform, or set 'devspaces.daemonPath' to the absolute path of a devspaces executable.`,
      );
    }
    const logDir = this.context.logUri.fsPath;
    fs.mkdirSync(logDir, { recursive: true });
    const env = { ...process.env };
    const kubeconfig = settings.get<string>('kubeconfig')?.trim();
    if (kubeconfig) {
      env.KUBECONFIG = kubeconfig;
    }
    // up --debug copies this folder's .NET debugger into the pod.
    const debuggerFolder = configuredDotNetDebugger();
    if (debuggerFolder) {
      env[dotNetDebuggerVariable] = debuggerFolder;
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
