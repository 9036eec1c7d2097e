import * as vscode from 'vscode';
import { walkSpaces } from '../state/SpacesModel';
import { CommandContext } from './CommandContext';
import { spaceFromArgument } from './pickSpace';

/** Copies a space's URL (its root is routed): opening it reaches the app as that space sees it. */
export async function copySpaceUrl(context: CommandContext, argument?: unknown): Promise<void> {
  const routed = [...walkSpaces(context.model.snapshot.tree?.roots ?? [])].map(({ space }) => space).filter((space) => space.url);
  const space =
    spaceFromArgument(argument) ??
    (await vscode.window.showQuickPick(
      routed.map((s) => ({ label: s.name, description: s.url ?? '', space: s })),
      { placeHolder: 'Space whose URL to copy' },
    ))?.space;
  if (!space) {
    return;
  }
  if (!space.url) {
    void vscode.window.showInformationMessage(
      `Space '${space.name}' has no URL: routing is not enabled on its root space. Enable it with 'devspaces routing enable --space <root>'.`,
    );
    return;
  }
  await vscode.env.clipboard.writeText(space.url);
  void vscode.window.showInformationMessage(`Copied ${space.url}`);
}
