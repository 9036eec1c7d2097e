import { formatDelay } from '../daemon/DaemonSupervisor';
import { SpacesSnapshot } from '../state/SpacesModel';

/** What the status-bar item shows for a state; kept apart from VS Code so it can be tested. */
export interface StatusBarPresentation {
  readonly text: string;
  /** For screen readers (and tests): the space, plus the state when it is not plainly connected. */
  readonly label: string;
  readonly tooltip: string;
  readonly severity: 'normal' | 'warning' | 'error';
}

export function presentStatus(snapshot: SpacesSnapshot): StatusBarPresentation {
  const { daemon, connection, selection } = snapshot;
  switch (daemon.kind) {
    case 'idle': {
      // Nothing has touched the cluster yet: the space remembered in the folder, or a neutral name.
      const saved = selection?.space ?? undefined;
      const context = selection?.context ? `\nContext: ${selection.context}` : '';
      return {
        text: `$(cloud) ${saved ?? 'DevSpaces'}`,
        label: `DevSpaces: ${saved ?? 'select a space'}`,
        tooltip: `${saved ? `Dev space: ${saved} (remembered in .devspaces/state.json)${context}` : 'No dev space selected in this folder.'}\nClick to switch space or context (this starts the DevSpaces daemon).`,
        severity: 'normal',
      };
    }
    case 'stopped':
      return {
        text: '$(cloud) DevSpaces: stopped',
        label: 'DevSpaces: daemon stopped',
        tooltip: "The DevSpaces daemon is stopped. Run 'DevSpaces: Restart Daemon' to start it.",
        severity: 'warning',
      };
    case 'unavailable':
      return { text: '$(error) DevSpaces', label: 'DevSpaces: daemon unavailable', tooltip: `${daemon.reason}\n${daemon.hint}`, severity: 'error' };
    case 'restarting':
      return {
        text: `$(sync~spin) DevSpaces: restarting in ${formatDelay(daemon.delayMs)}`,
        label: 'DevSpaces: daemon restarting',
        tooltip: `${daemon.reason}. Restart attempt ${daemon.attempt}; see 'DevSpaces: Show Output'.`,
        severity: 'warning',
      };
    case 'starting':
      return { text: '$(sync~spin) DevSpaces: starting', label: 'DevSpaces: daemon starting', tooltip: 'Starting the DevSpaces daemon…', severity: 'normal' };
    case 'running':
      break;
  }

  const space = selection?.space ?? undefined;
  const context = connection?.context ?? selection?.context ?? undefined;
  const label = space ?? 'no space';
  const contextLine = context ? `Context: ${context}` : 'Context: none (no kubeconfig context selected)';
  if (!connection || connection.state === 'connecting') {
    return {
      text: `$(sync~spin) ${label}`,
      label: `DevSpaces: ${label} (connecting)`,
      tooltip: `Connecting to the cluster…\n${contextLine}`,
      severity: 'normal',
    };
  }
  if (connection.state === 'failed') {
    const error = connection.error;
    const why = error ? [error.message, error.hint, error.detail].filter(Boolean).join('\n') : 'The cluster is not reachable.';
    return { text: `$(error) ${label}`, label: `DevSpaces: ${label} (cluster error)`, tooltip: `${contextLine}\n${why}`, severity: 'error' };
  }
  const server = connection.server
    ? `\nServer: ${connection.server}${connection.serverVersion ? ` (Kubernetes ${connection.serverVersion})` : ''}`
    : '';
  return {
    text: `$(cloud) ${label}`,
    label: `DevSpaces: ${label}`,
    tooltip: `Dev space: ${space ?? 'none selected'}\n${contextLine}${server}\nClick to switch space or context.`,
    severity: 'normal',
  };
}
