import { DetectedProject } from './projectDetection';

/**
 * The `devspaces` property of a launch configuration: F5 on it connects the service first (or reuses the
 * session) and writes the environment file the configuration reads.
 */
export interface ConnectMarker {
  /** The Service of the selected space that the local process stands in for. */
  readonly service: string;
  /** Where the local process listens; cluster clients of the service reach this port. */
  readonly localPort: number;
  /** The container of the service's pods, when they have several. */
  readonly container?: string;
}

export const markerProperty = 'devspaces';

/** A launch configuration as `.vscode/launch.json` holds it. */
export interface LaunchConfiguration {
  name: string;
  type: string;
  request: string;
  [property: string]: unknown;
}

/** Where the session's environment goes, relative to the workspace folder. */
export function envFileRelativePath(service: string): string {
  return `.devspaces/connect-${service}.env`;
}

/** The `envFile` value of a connected configuration. */
export function envFileSetting(service: string): string {
  return `\${workspaceFolder}/${envFileRelativePath(service)}`;
}

/** The marker of a configuration, or undefined when it has none or a malformed one. */
export function readMarker(configuration: { [property: string]: unknown }): ConnectMarker | undefined {
  const value = configuration[markerProperty];
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { service, localPort, container } = value as Record<string, unknown>;
  if (typeof service !== 'string' || service === '' || !isPort(localPort)) {
    return undefined;
  }
  return typeof container === 'string' && container !== '' ? { service, localPort, container } : { service, localPort };
}

/** Why a `devspaces` property cannot be used, for the user; undefined when it is fine or absent. */
export function markerProblem(configuration: { name?: unknown; [property: string]: unknown }): string | undefined {
  if (configuration[markerProperty] === undefined || readMarker(configuration) !== undefined) {
    return undefined;
  }
  return `The "devspaces" property of launch configuration '${String(configuration.name)}' must be an object with "service" (a service name) and "localPort" (1-65535), e.g. { "service": "api", "localPort": 5000 }.`;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * The variables that make the local process listen on the chosen port. The environment file keeps the container's
 * values (its `PORT` is the container's port); the configuration's `env` wins over `envFile` in every debugger, so
 * these override it for the local run only.
 */
export function portEnvironment(type: string, localPort: number): Record<string, string> {
  const port = String(localPort);
  switch (type) {
    case 'coreclr':
      return { PORT: port, ASPNETCORE_URLS: `http://localhost:${port}` };
    case 'java':
      return { PORT: port, SERVER_PORT: port };
    default:
      return { PORT: port };
  }
}

/** The name DevSpaces gives the configuration it creates for a service. */
export function configurationName(service: string, project: DetectedProject): string {
  return `DevSpaces: ${service} (${project.label})`;
}

/** A new configuration that runs the detected project connected to the service. */
export function newConfiguration(project: DetectedProject, marker: ConnectMarker): LaunchConfiguration {
  return withMarker({ name: configurationName(marker.service, project), ...project.launch }, marker);
}

/** The configuration with the marker, the environment file and the local port's variables added. */
export function withMarker(configuration: LaunchConfiguration, marker: ConnectMarker): LaunchConfiguration {
  const env = typeof configuration.env === 'object' && configuration.env !== null ? (configuration.env as Record<string, unknown>) : {};
  return {
    ...configuration,
    envFile: envFileSetting(marker.service),
    env: { ...env, ...portEnvironment(configuration.type, marker.localPort) },
    [markerProperty]: { ...marker },
  };
}
