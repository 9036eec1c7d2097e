import * as vscode from 'vscode';
import { SpaceTree } from '../protocol/types';
import { describeError } from '../ui/ErrorPresenter';
import { SpacePickItem, spaceMenuItems } from '../ui/spacePickItems';
import { CommandContext } from './CommandContext';
import { createChildSpace } from './createChildSpace';
import { selectContext } from './selectContext';
import { selectSpaceNamed } from './selectSpace';
import { copySpaceUrl, openSpaceUrl } from './spaceUrl';

/** The status-bar menu: the space tree to switch to (with each space's URL), then "Open URL of <selected space>" and
 *  "Copy URL of <selected space>" when it has one, "Create child space…" and "Select cluster context…". */
export async function showSpaceMenu(context: CommandContext): Promise<void> {
  try {
    await context.model.reloadTree();
    let tree: SpaceTree | undefined;
    let problem: SpacePickItem | undefined;
    try {
      tree = await context.model.spaces();
    } catch (error) {
      // The actions stay usable: another context is the usual way out of an unreachable cluster.
      const described = describeError(error);
      problem = { label: `$(error) ${described.message}`, description: described.hint };
    }
    const items = spaceMenuItems(tree, problem).map((item) => ({
      ...item,
      kind: item.kind === 'separator' ? vscode.QuickPickItemKind.Separator : vscode.QuickPickItemKind.Default,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      placeHolder: `Switch dev space${tree?.context ? ` (context ${tree.context})` : ''}`,
      matchOnDescription: true,
    });
    if (!picked) {
      return;
    }
    if (picked.action === 'openUrl' && picked.space) {
      await openSpaceUrl(context, { kind: 'space', space: picked.space });
    } else if (picked.action === 'copyUrl' && picked.space) {
      await copySpaceUrl(context, { kind: 'space', space: picked.space });
    } else if (picked.space) {
      if (!picked.space.isSelected) {
        await selectSpaceNamed(context, picked.space.name);
      }
    } else if (picked.action === 'createChild') {
      await createChildSpace(context);
    } else if (picked.action === 'selectContext') {
      await selectContext(context);
    }
  } catch (error) {
    await context.errors.show('Could not switch the space', error);
  }
}
