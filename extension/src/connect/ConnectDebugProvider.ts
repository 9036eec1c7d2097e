import * as vscode from 'vscode';
import { ErrorPresenter } from '../ui/ErrorPresenter';
import { envFileSetting, markerProblem, readMarker } from './launchConfiguration';
import { localWorkspaceFolder, ServiceConnector, writeEnvFile } from './ServiceConnector';

/**
 * Makes F5 on a configuration marked in its `env` one click: before the debugger starts, the service is
 * connected (or the running session reused) and its environment file written fresh, so the process starts with
 * the cluster's environment and receives the service's traffic. Registered for the debug types of `connectDebugTypes`.
 */
export class ConnectDebugProvider implements vscode.DebugConfigurationProvider {
  constructor(
    private readonly connector: ServiceConnector,
    private readonly errors: ErrorPresenter,
  ) {}

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const problem = markerProblem(configuration);
    // Messages are not awaited: the launch must end now, not when the user closes the notification.
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return undefined;
    }
    const marker = readMarker(configuration);
    if (!marker) {
      return configuration;
    }
    const root = localWorkspaceFolder(folder);
    if (!root) {
      void vscode.window.showErrorMessage(
        `Launch configuration '${configuration.name}' connects '${marker.service}', which needs a local workspace folder for its environment file; open the project folder and try again.`,
      );
      return undefined;
    }
    try {
      const info = await this.connector.ensure(marker);
      if (!info) {
        // Cancelled by the user: abort the launch quietly.
        return undefined;
      }
      await writeEnvFile(root, info);
    } catch (error) {
      void this.errors.show(`Could not connect '${marker.service}' before starting '${configuration.name}'`, error);
      return undefined;
    }
    const envFile: unknown = configuration.envFile;
    return { ...configuration, envFile: typeof envFile === 'string' && envFile !== '' ? envFile : envFileSetting(marker.service) };
  }
}
