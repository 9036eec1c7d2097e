import * as vscode from 'vscode';
import { CancellationTokenSource, CancellationToken } from 'vscode-jsonrpc';

/**
 * Runs a task and shows a cancellable progress notification only if it takes longer than
 * `delayMs`, so quick requests do not flash a notification. Cancelling sends $/cancelRequest.
 */
export async function withDelayedProgress<T>(
  title: string,
  task: (token: CancellationToken) => Promise<T>,
  delayMs = 1000,
): Promise<T> {
  const source = new CancellationTokenSource();
  const work = task(source.token);
  let finished = false;
  const timer = setTimeout(() => {
    if (finished) {
      return;
    }
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (_progress, token) => {
        const subscription = token.onCancellationRequested(() => source.cancel());
        try {
          await work;
        } catch {
          // The caller reports the failure; the notification only has to close.
        } finally {
          subscription.dispose();
        }
      },
    );
  }, delayMs);
  try {
    return await work;
  } finally {
    finished = true;
    clearTimeout(timer);
    source.dispose();
  }
}
