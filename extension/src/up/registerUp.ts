import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { UpEventInfo, UpInfo } from '../protocol/types';
import { projectFile, serviceFolderOf } from './serviceFolders';
import { outputLine, UpsModel } from './UpsModel';
import { UpStatusBar } from './UpStatusBar';

export const UpCommandIds = {
  run: 'devspaces.runInCluster',
  remove: 'devspaces.removeFromCluster',
  menu: 'devspaces.upMenu',
} as const;

/**
 * "Run in Cluster": `up` of a service folder, an output channel per service (build output, the container's lines,
 * each sync, restart and redeploy with its duration), a status-bar item per service, and "Remove from Cluster".
 */
export function registerUp(context: CommandContext, ups: UpsModel = new UpsModel(context.daemon)): vscode.Disposable[] {
  const channels = new Map<string, vscode.OutputChannel>();
  const channelOf = (service: string): vscode.OutputChannel => {
    let channel = channels.get(service);
    if (!channel) {
      channel = vscode.window.createOutputChannel(`DevSpaces: ${service}`);
      channels.set(service, channel);
      channel.show(true);
    }
    return channel;
  };
  return [
    ups,
    new UpStatusBar(ups, UpCommandIds.menu),
    ups.onDidOutput((event: UpEventInfo) => channelOf(event.service).appendLine(outputLine(event))),
    ups.onDidOutput((event: UpEventInfo) => {
      if (event.kind === 'buildFailed') {
        void vscode.window.showWarningMessage(`${event.service}: ${event.message}`, 'Show Output').then((choice) => choice && channelOf(event.service).show(true));
      }
    }),
    { dispose: () => channels.forEach((c) => c.dispose()) },
    vscode.commands.registerCommand(UpCommandIds.run, (uri?: vscode.Uri) => runInCluster(context, ups, channelOf, uri)),
    vscode.commands.registerCommand(UpCommandIds.remove, () => removeFromCluster(context, ups)),
    vscode.commands.registerCommand(UpCommandIds.menu, () => upMenu(context, ups, channelOf)),
  ];
}

async function runInCluster(context: CommandContext, ups: UpsModel, channelOf: (service: string) => vscode.OutputChannel, uri?: vscode.Uri): Promise<void> {
  const folder = uri?.fsPath ? (fs.statSync(uri.fsPath).isDirectory() ? uri.fsPath : path.dirname(uri.fsPath)) : await pickServiceFolder();
  if (!folder) {
    return;
  }
  const service = path.basename(folder);
  const buildArgs = vscode.workspace.getConfiguration('devspaces').get<string[]>('up.buildArgs', []);
  let info: UpInfo;
  try {
    info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${service} in the cluster`, cancellable: true },
      async (progress, token) => {
        const steps = ups.onDidOutput((e) => e.kind === 'step' && progress.report({ message: e.message }));
        try {
          return await ups.start({ folder, space: null, localPort: null, watch: true, buildArgs }, service, token);
        } finally {
          steps.dispose();
        }
      },
    );
  } catch (error) {
    await context.errors.show(`Could not run ${service} in the cluster`, error);
    return;
  }
  const open = 'Open in Browser';
  const output = 'Show Output';
  const choice = await vscode.window.showInformationMessage(
    info.url ? `${info.service} is up in '${info.space}' at ${info.url}; saved changes are synced.` : `${info.service} is up in '${info.space}'; saved changes are synced.`,
    ...(info.url ? [open, output] : [output]),
  );
  if (choice === open && info.url) {
    await vscode.env.openExternal(vscode.Uri.parse(info.url));
  } else if (choice === output) {
    channelOf(info.service).show(true);
  }
}

async function pickServiceFolder(): Promise<string | undefined> {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const active = vscode.window.activeTextEditor?.document.uri;
  const near = serviceFolderOf(active?.scheme === 'file' ? active.fsPath : undefined, roots, (p) => fs.existsSync(p));
  if (near) {
    return near;
  }
  const found = await vscode.workspace.findFiles(`**/${projectFile}`, '**/node_modules/**', 50);
  const folders = found.map((f) => path.dirname(f.fsPath)).sort();
  if (folders.length === 0) {
    const prepare = 'Prepare Project…';
    const choice = await vscode.window.showWarningMessage(`No ${projectFile} in this workspace: prepare a service's folder first.`, prepare);
    if (choice === prepare) {
      await vscode.commands.executeCommand('devspaces.prepareProject');
    }
    return undefined;
  }
  if (folders.length === 1) {
    return folders[0];
  }
  const picked = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(f), folder: f })),
    { placeHolder: 'The service to run in the cluster' },
  );
  return picked?.folder;
}

async function removeFromCluster(context: CommandContext, ups: UpsModel, chosen?: UpInfo): Promise<void> {
  const target = chosen ?? (await pickUp(ups, 'The service to remove from its space'));
  const folder = target?.folder ?? (target === undefined ? await pickServiceFolder() : undefined);
  if (!folder) {
    return;
  }
  try {
    const result = await ups.down(folder, target?.space ?? null);
    void vscode.window.showInformationMessage(`${result.service} is removed from '${result.space}': ${result.actions.join(', ') || 'nothing was left'}.`);
  } catch (error) {
    await context.errors.show('Could not remove the service', error);
  }
}

async function pickUp(ups: UpsModel, placeHolder: string): Promise<UpInfo | undefined> {
  const active = ups.active;
  if (active.length <= 1) {
    return active[0];
  }
  const picked = await vscode.window.showQuickPick(
    active.map((u) => ({ label: u.service, description: `in ${u.space}${u.url ? ` · ${u.url}` : ''}`, up: u })),
    { placeHolder },
  );
  return picked?.up;
}

async function upMenu(context: CommandContext, ups: UpsModel, channelOf: (service: string) => vscode.OutputChannel): Promise<void> {
  const up = await pickUp(ups, 'A service running in the cluster');
  if (!up) {
    return;
  }
  const actions = [
    ...(up.url ? [{ label: '$(link-external) Open in Browser', run: () => vscode.env.openExternal(vscode.Uri.parse(up.url!)) }] : []),
    { label: '$(output) Show Output', run: () => Promise.resolve(channelOf(up.service).show(true)) },
    { label: '$(debug-pause) Stop Watching', detail: 'The service keeps running; saved changes are no longer synced.', run: () => ups.stop(up.id) },
    { label: '$(trash) Remove from Cluster', detail: `Removes what Run in Cluster deployed into '${up.space}'.`, run: () => removeFromCluster(context, ups, up) },
  ];
  const picked = await vscode.window.showQuickPick(actions, { placeHolder: `${up.service} in ${up.space}${up.url ? ` at ${up.url}` : ''}` });
  try {
    await picked?.run();
  } catch (error) {
    await context.errors.show(`Could not ${picked?.label.replace(/^\$\([^)]+\) /, '').toLowerCase()}`, error);
  }
}
