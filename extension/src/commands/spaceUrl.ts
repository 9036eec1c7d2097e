import * as vscode from 'vscode';
import { SpaceInfo } from '../protocol/types';
import { walkSpaces } from '../state/SpacesModel';
import { CommandContext } from './CommandContext';
import { spaceFromArgument } from './pickSpace';

/** Copies a space's URL (its root is routed): opening it reaches the app as that space sees it. */
export async function copySpaceUrl(context: CommandContext, argument?: unknown): Promise<void> {
  const url = await spaceUrl(context, argument, 'Space whose URL to copy');
  if (url) {
    await vscode.env.clipboard.writeText(url);
    void vscode.window.showInformationMessage(`Copied ${url}`);
  }
}

/** Opens a space's URL in the browser: the app as that space sees it (its routing key is in the host name). */
export async function openSpaceUrl(context: CommandContext, argument?: unknown): Promise<void> {
  const url = await spaceUrl(context, argument, 'Space whose URL to open');
  if (url) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }
}

/** The URL of the space given (a view row) or picked among the routed ones; undefined, said why, when it has none. */
async function spaceUrl(context: CommandContext, argument: unknown, placeHolder: string): Promise<string | undefined> {
  const routed = [...walkSpaces(context.model.snapshot.tree?.roots ?? [])].map(({ space }) => space).filter((space) => space.url);
  const space: SpaceInfo | undefined =
    spaceFromArgument(argument) ??
    (await vscode.window.showQuickPick(
      routed.map((s) => ({ label: s.name, description: s.url ?? '', space: s })),
      { placeHolder },
    ))?.space;
  if (space && !space.url) {
    void vscode.window.showInformationMessage(
      `Space '${space.name}' has no URL: routing is not enabled on its root space. Enable it with 'devspaces routing enable --space <root>'.`,
    );
  }
  return space?.url ?? undefined;
}
