import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { ConnectInfo } from '../protocol/types';
import { ConnectionsModel } from './ConnectionsModel';
import { envFileRelativePath } from './launchConfiguration';
import { localWorkspaceFolder, writeEnvFile } from './ServiceConnector';

type MenuItem = vscode.QuickPickItem & { run?: () => Promise<unknown> };

/** The connect status-bar item's menu: per session Disconnect and Show Environment, then Open Log. */
export async function connectionMenu(context: CommandContext, connections: ConnectionsModel, disconnect: (info: ConnectInfo) => Promise<void>): Promise<void> {
  const active = connections.active;
  const items: MenuItem[] = [];
  for (const info of active) {
    if (active.length > 1) {
      items.push({ label: `${info.service} → localhost:${info.localPort}`, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push(
      { label: '$(debug-disconnect) Disconnect', description: `restore '${info.service}' in the cluster`, run: () => disconnect(info) },
      { label: '$(file) Show Environment', description: envFileRelativePath(info.service), run: () => showEnvironment(context, info) },
    );
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(output) Open Log', run: () => Promise.resolve(context.showOutput()) });
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: active.length === 0 ? 'No service is connected' : active.map((c) => `${c.service} → localhost:${c.localPort}`).join(', '),
  });
  await picked?.run?.();
}

/** Opens the session's environment file (written fresh, so it is what F5 would use). */
async function showEnvironment(context: CommandContext, info: ConnectInfo): Promise<void> {
  const folder = localWorkspaceFolder();
  if (!folder) {
    context.showOutput();
    return;
  }
  const file = await writeEnvFile(folder, info);
  await vscode.window.showTextDocument(vscode.Uri.file(path.resolve(file)), { preview: true });
}
