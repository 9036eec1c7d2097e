import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import * as rpc from '../protocol/methods';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { ConnectionsModel, envFileText } from './ConnectionsModel';

/**
 * "DevSpaces: Connect a Service…": pick a service of the current space and the local port, take the service over,
 * and write its environment to `.devspaces/connect-<service>.env` for the launch configuration (`envFile`).
 */
export async function connectService(context: CommandContext, connections: ConnectionsModel): Promise<void> {
  try {
    const list = await context.daemon.request(rpc.ListServices.type, { space: null });
    const picked = await vscode.window.showQuickPick(
      list.services.map((s) => ({ label: s.name, description: s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}`).join(', '), service: s })),
      { placeHolder: `Service of '${list.space}' to serve from this machine` },
    );
    if (!picked) {
      return;
    }
    const suggested = picked.service.ports[0]?.targetPort ?? String(picked.service.ports[0]?.port ?? 8080);
    const port = await vscode.window.showInputBox({
      prompt: `Local port your process listens on for '${picked.label}'`,
      value: /^\d+$/.test(suggested) ? suggested : '8080',
      validateInput: (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'A port number, 1-65535'),
    });
    if (!port) {
      return;
    }
    const info = await withDelayedProgress(`Connecting '${picked.label}' to localhost:${port}…`, (token) =>
      connections.start({ service: picked.label, localPort: Number(port), space: list.space, container: null }, token),
    );
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    let envNote = '';
    if (folder) {
      const envPath = path.join(folder, '.devspaces', `connect-${info.service}.env`);
      await vscode.workspace.fs.writeFile(vscode.Uri.file(envPath), Buffer.from(envFileText(info), 'utf8'));
      envNote = ` Its environment is in ${path.relative(folder, envPath)} (use it as "envFile" in your launch configuration).`;
    }
    await vscode.window.showInformationMessage(`'${info.service}' now reaches localhost:${info.localPort}.${envNote}`);
  } catch (error) {
    await context.errors.show('Could not connect the service', error);
  }
}
