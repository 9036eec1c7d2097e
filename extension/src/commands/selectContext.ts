import * as vscode from 'vscode';
import * as rpc from '../protocol/methods';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { CommandContext } from './CommandContext';

/** Picks a kubeconfig context for this workspace and reports whether its cluster answers. */
export async function selectContext(context: CommandContext): Promise<void> {
  try {
    const list = await withDelayedProgress('Reading kubeconfig contexts…', (token) =>
      context.daemon.request(rpc.ListContexts.type, {}, token),
    );
    if (list.contexts.length === 0) {
      void vscode.window.showWarningMessage(
        `The kubeconfig (${list.kubeconfigFiles.join(', ') || 'none found'}) has no contexts. Add one with 'kubectl config set-context'.`,
      );
      return;
    }
    const picked = await vscode.window.showQuickPick(
      list.contexts.map((info) => ({
        label: `${info.name === list.current ? '$(check)' : '$(server-environment)'} ${info.name}`,
        description: [info.server, info.namespace ? `namespace ${info.namespace}` : undefined].filter(Boolean).join(' · '),
        detail: info.cluster && info.user ? `cluster ${info.cluster}, user ${info.user}` : undefined,
        name: info.name,
      })),
      { placeHolder: `Cluster context for this workspace (from ${list.kubeconfigFiles.join(', ')})` },
    );
    if (!picked) {
      return;
    }
    const status = await withDelayedProgress(`Connecting to context '${picked.name}'…`, (token) =>
      context.daemon.request(rpc.UseContext.type, { name: picked.name }, token),
    );
    if (status.state === 'failed') {
      const error = status.error;
      const text = `Context '${picked.name}' is selected, but its cluster is not usable: ${error?.message ?? 'unreachable'}${error?.hint ? ` ${error.hint}` : ''}`;
      const choice = await vscode.window.showErrorMessage(text, 'Select Another Context', 'Show Output');
      if (choice === 'Select Another Context') {
        await selectContext(context);
      } else if (choice === 'Show Output') {
        context.showOutput();
      }
    }
  } catch (error) {
    await context.errors.show('Could not select the cluster context', error);
  }
}
