import * as vscode from 'vscode';
import * as rpc from '../protocol/methods';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { CommandContext } from './CommandContext';
import { pickSpace, spaceFromArgument } from './pickSpace';
import { selectSpaceNamed } from './selectSpace';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Checks a space name as the daemon will, so the input box can say what is wrong at once. */
export function validateSpaceName(name: string): string | undefined {
  if (name.length === 0) {
    return 'Enter a name for the space.';
  }
  if (name.length > 63) {
    return `A space name has at most 63 characters (this one has ${name.length}).`;
  }
  if (!dns1123Label.test(name)) {
    return 'Use lower-case letters, digits and "-", starting and ending with a letter or digit (a DNS-1123 label).';
  }
  return undefined;
}

/** Creates a child of a space (the one clicked in the view, or one the user picks). */
export async function createChildSpace(context: CommandContext, argument?: unknown): Promise<void> {
  try {
    const parent =
      spaceFromArgument(argument) ?? (await pickSpace(context.model, 'Parent space of the new child space'));
    if (!parent) {
      return;
    }
    const prefix = `${parent.name}-`;
    const name = await vscode.window.showInputBox({
      title: `New child space of '${parent.name}'`,
      prompt: 'Name of the new space (its namespace)',
      value: prefix,
      valueSelection: [prefix.length, prefix.length],
      validateInput: validateSpaceName,
    });
    if (name === undefined) {
      return;
    }
    const created = await withDelayedProgress(`Creating space '${name}' under '${parent.name}'…`, (token) =>
      context.daemon.request(rpc.CreateSpace.type, { name, parent: parent.name }, token),
    );
    const choice = await vscode.window.showInformationMessage(
      `Created space '${created.name}' as a child of '${created.parent ?? parent.name}'.`,
      'Select It',
    );
    if (choice === 'Select It') {
      await selectSpaceNamed(context, created.name);
    }
  } catch (error) {
    await context.errors.show('Could not create the child space', error);
  }
}
