import * as vscode from 'vscode';
import * as rpc from '../protocol/methods';
import { walkSpaces } from '../state/SpacesModel';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { CommandContext } from './CommandContext';
import { pickSpace, spaceFromArgument } from './pickSpace';

/** Deletes a space after a modal confirmation that names everything that goes with it. */
export async function deleteSpace(context: CommandContext, argument?: unknown): Promise<void> {
  try {
    const space = spaceFromArgument(argument) ?? (await pickSpace(context.model, 'Space to delete'));
    if (!space) {
      return;
    }
    const descendants = [...walkSpaces(space.children)].map(({ space: child }) => child.name);
    const selectedNote = space.isSelected ? ' It is the selected space; the selection will be cleared.' : '';
    const question =
      descendants.length === 0
        ? `Delete space '${space.name}'? Its namespace and everything in it are deleted.${selectedNote}`
        : `Delete space '${space.name}' and its ${descendants.length} descendant space(s) (${descendants.join(', ')})? ` +
          `Their namespaces and everything in them are deleted.${selectedNote}`;
    const confirm = descendants.length === 0 ? 'Delete' : 'Delete All';
    const answer = await vscode.window.showWarningMessage(question, { modal: true }, confirm);
    if (answer !== confirm) {
      return;
    }
    const result = await withDelayedProgress(`Deleting space '${space.name}'…`, (token) =>
      context.daemon.request(rpc.DeleteSpace.type, { name: space.name, recursive: descendants.length > 0 }, token),
    );
    void vscode.window.showInformationMessage(result.message);
  } catch (error) {
    await context.errors.show('Could not delete the space', error);
  }
}
