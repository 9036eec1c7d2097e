import * as vscode from 'vscode';
import { DevSpacesClient } from './DevSpacesClient';

let client: DevSpacesClient | undefined;

export function activate(context: vscode.ExtensionContext): void {
  client = new DevSpacesClient(context);
  context.subscriptions.push(client);
  client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
