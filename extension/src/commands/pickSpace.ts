import * as vscode from 'vscode';
import { SpaceInfo } from '../protocol/types';
import { SpacesModel } from '../state/SpacesModel';
import { SpacesTreeNode } from '../ui/SpacesTreeProvider';
import { spaceRows } from '../ui/spacePickItems';

/** The space a command was invoked on from the view, if any. */
export function spaceFromArgument(argument: unknown): SpaceInfo | undefined {
  const node = argument as SpacesTreeNode | undefined;
  return node && typeof node === 'object' && node.kind === 'space' ? node.space : undefined;
}

/** Asks for a space from the (freshly loaded) tree; undefined when the user cancels. */
export async function pickSpace(model: SpacesModel, placeHolder: string): Promise<SpaceInfo | undefined> {
  await model.reloadTree();
  const tree = await model.spaces();
  const rows = spaceRows(tree);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage('There are no spaces in this cluster yet: create a root space with `devspaces space create <name>`.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    rows.map((row) => ({ label: row.label, description: row.description, space: row.space })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.space;
}
