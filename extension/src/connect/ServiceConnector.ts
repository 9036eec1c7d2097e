import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes } from '../protocol/errors';
import { ConnectInfo, ErrorData, StartConnectParams } from '../protocol/types';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { ConnectionsModel, envFileText } from './ConnectionsModel';
import { ConnectMarker, envFileRelativePath } from './launchConfiguration';

/** A connected service and the container chosen for it (when the pods have several). */
export interface Connected {
  readonly info: ConnectInfo;
  readonly container: string | undefined;
}

/**
 * Connecting as both the command and F5 need it: asks for the container when the daemon finds several, reuses a
 * running session, and writes the session's environment file.
 */
export class ServiceConnector {
  constructor(
    private readonly connections: ConnectionsModel,
    /** The space selected for the workspace, when known: F5 connects the service there. */
    private readonly selectedSpace: () => string | null | undefined = () => undefined,
  ) {}

  /**
   * Connects the service; when its pods have several containers and none was given, asks which one and tries
   * again. Undefined when the user cancels that choice.
   */
  async connect(service: string, localPort: number, container?: string): Promise<Connected | undefined> {
    try {
      const info = await withDelayedProgress(`Connecting '${service}' to localhost:${localPort}…`, (token) =>
        this.connections.start({ service, localPort, space: null, container: container ?? null, ...connectOptions() }, token),
      );
      return { info, container };
    } catch (error) {
      const choices = containerChoices(error);
      if (!choices) {
        throw error;
      }
      const picked = await vscode.window.showQuickPick(
        choices.map((name) => ({ label: name })),
        {
          placeHolder:
            container === undefined
              ? `The pods of '${service}' have several containers: which one runs on this machine?`
              : `The pods of '${service}' have no container '${container}' (any more): which one runs on this machine?`,
        },
      );
      return picked ? this.connect(service, localPort, picked.label) : undefined;
    }
  }

  /**
   * The session a launch configuration asks for: the running one when it serves the same local port, else a new
   * one (after asking, if the service is connected on another port). Undefined when the user cancels.
   */
  async ensure(marker: ConnectMarker): Promise<ConnectInfo | undefined> {
    // A session of the same service in a space that is no longer selected is left alone; the daemon refuses
    // the new one if it is the same Deployment.
    const running = this.connections.find(marker.service, this.selectedSpace());
    if (running && running.localPort === marker.localPort) {
      return running;
    }
    if (running) {
      const reconnect = `Reconnect to localhost:${marker.localPort}`;
      const answer = await vscode.window.showWarningMessage(
        `'${marker.service}' is connected to localhost:${running.localPort}, but the launch configuration listens on localhost:${marker.localPort}.`,
        { modal: true },
        reconnect,
      );
      if (answer !== reconnect) {
        return undefined;
      }
      await withDelayedProgress(`Restoring '${marker.service}'…`, () => this.connections.stop(running.session));
    }
    return (await this.connect(marker.service, marker.localPort, marker.container))?.info;
  }
}

/** The `devspaces.connect.*` settings, as `connect/start` takes them. */
export function connectOptions(): Pick<StartConnectParams, 'mounts' | 'hosts' | 'keepOriginal' | 'forwardProbes' | 'isolated'> {
  const settings = vscode.workspace.getConfiguration('devspaces.connect');
  return {
    mounts: settings.get<boolean>('copyMountedFiles') ?? true,
    hosts: settings.get<boolean>('hostsFile') ?? false,
    keepOriginal: settings.get<boolean>('keepOriginal') ?? false,
    forwardProbes: settings.get<boolean>('forwardProbes') ?? false,
    isolated: settings.get<boolean>('isolated') ?? false,
  };
}

/**
 * The containers the daemon offers when it refuses to guess which one of several runs locally, or does not know the one
 * asked for (`choices` of the error data); undefined for any other failure.
 */
export function containerChoices(error: unknown): string[] | undefined {
  if (!(error instanceof ResponseError) || error.code !== ErrorCodes.ConnectTargetInvalid) {
    return undefined;
  }
  const choices = (error.data as Partial<ErrorData> | undefined)?.choices;
  return Array.isArray(choices) && choices.length > 0 ? choices.filter((name): name is string => typeof name === 'string') : undefined;
}

/** Writes the session's environment to `.devspaces/connect-<service>.env` in the folder; returns its path. */
export async function writeEnvFile(folder: string, info: ConnectInfo): Promise<string> {
  const file = path.join(folder, envFileRelativePath(info.service));
  await fs.mkdir(path.dirname(file), { recursive: true });
  // The daemon keeps .devspaces/ out of git the same way; the env file must never be committed, daemon or not.
  await fs.writeFile(path.join(path.dirname(file), '.gitignore'), '*\n', { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') {
      throw error;
    }
  });
  // The environment can hold the service's secrets: readable by this user only.
  await fs.writeFile(file, envFileText(info), { encoding: 'utf8', mode: 0o600 });
  await fs.chmod(file, 0o600);
  return file;
}

/** The local workspace folder the launch configurations and environment files belong in. */
export function localWorkspaceFolder(preferred?: vscode.WorkspaceFolder): string | undefined {
  if (preferred?.uri.scheme === 'file') {
    return preferred.uri.fsPath;
  }
  return vscode.workspace.workspaceFolders?.find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
}
