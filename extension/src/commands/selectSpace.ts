import * as rpc from '../protocol/methods';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { CommandContext } from './CommandContext';
import { pickSpace, spaceFromArgument } from './pickSpace';

/** Selects a space. The status bar changes when the daemon reports the new selection. */
export async function selectSpace(context: CommandContext, argument?: unknown): Promise<void> {
  try {
    const space = spaceFromArgument(argument) ?? (await pickSpace(context.model, 'Select the dev space for this workspace'));
    if (space) {
      await selectSpaceNamed(context, space.name);
    }
  } catch (error) {
    await context.errors.show('Could not select the space', error);
  }
}

export async function selectSpaceNamed(context: CommandContext, name: string): Promise<void> {
  await withDelayedProgress(`Selecting space '${name}'…`, (token) =>
    context.daemon.request(rpc.SelectSpace.type, { name }, token),
  );
}
