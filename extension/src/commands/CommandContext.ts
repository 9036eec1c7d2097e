import { DaemonClient } from '../daemon/DaemonClient';
import { SpacesModel } from '../state/SpacesModel';
import { ErrorPresenter } from '../ui/ErrorPresenter';

/** What every command handler may use; assembled once in the client. */
export interface CommandContext {
  readonly daemon: DaemonClient;
  readonly model: SpacesModel;
  readonly errors: ErrorPresenter;
  readonly showOutput: () => void;
  readonly restartDaemon: () => Promise<void>;
}

export const CommandIds = {
  selectSpace: 'devspaces.selectSpace',
  createChildSpace: 'devspaces.createChildSpace',
  deleteSpace: 'devspaces.deleteSpace',
  copySpaceUrl: 'devspaces.copySpaceUrl',
  openSpaceUrl: 'devspaces.openSpaceUrl',
  selectContext: 'devspaces.selectContext',
  showOutput: 'devspaces.showOutput',
  restartDaemon: 'devspaces.restartDaemon',
  showSpaceMenu: 'devspaces.showSpaceMenu',
  refresh: 'devspaces.refresh',
} as const;
