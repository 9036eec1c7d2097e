import { DetectedProject } from './projectDetection';

/**
 * What marks a launch configuration as connected: F5 on it connects the service first (or reuses the session) and
 * writes the environment file the configuration reads. It travels as variables in the configuration's `env`, which
 * every debugger declares, so launch.json shows no "Property … is not allowed" warning; the local process sees them
 * too, which is harmless and tells it where it runs.
 */
export interface ConnectMarker {
  /** The Service of the selected space that the local process stands in for. */
  readonly service: string;
  /** Where the local process listens; cluster clients of the service reach this port. */
  readonly localPort: number;
  /** The container of the service's pods, when they have several. */
  readonly container?: string;
}

/** The `env` variables carrying the marker. */
export const markerVariables = {
  service: 'DEVSPACES_SERVICE',
  localPort: 'DEVSPACES_LOCAL_PORT',
  container: 'DEVSPACES_CONTAINER',
} as const;

/** Where earlier versions kept the marker; removed when a configuration is marked again. */
export const legacyMarkerProperty = 'devspaces';

/** The debug types F5 connects for: those of the configurations DevSpaces writes, and common others a user may mark. */
export const connectDebugTypes = ['node', 'pwa-node', 'coreclr', 'java', 'debugpy', 'python', 'go'] as const;

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

function envOf(configuration: { [property: string]: unknown }): Record<string, unknown> {
  const env = configuration.env;
  return typeof env === 'object' && env !== null && !Array.isArray(env) ? (env as Record<string, unknown>) : {};
}

/** The marker of a configuration, or undefined when it has none or a malformed one. */
export function readMarker(configuration: { [property: string]: unknown }): ConnectMarker | undefined {
  const env = envOf(configuration);
  const service = env[markerVariables.service];
  const localPort = Number(env[markerVariables.localPort]);
  const container = env[markerVariables.container];
  if (typeof service !== 'string' || service === '' || !isPort(localPort)) {
    return undefined;
  }
  return typeof container === 'string' && container !== '' ? { service, localPort, container } : { service, localPort };
}

/** Why the marker cannot be used, for the user; undefined when it is fine or absent. */
export function markerProblem(configuration: { name?: unknown; [property: string]: unknown }): string | undefined {
  if (envOf(configuration)[markerVariables.service] === undefined || readMarker(configuration) !== undefined) {
    return undefined;
  }
  return `Launch configuration '${String(configuration.name)}' names a service in "env" (${markerVariables.service}) but no local port: set ${markerVariables.localPort} to the port your process listens on (1-65535), e.g. "${markerVariables.localPort}": "5000".`;
}

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The marker as `env` variables. */
export function markerEnvironment(marker: ConnectMarker): Record<string, string> {
  return {
    [markerVariables.service]: marker.service,
    [markerVariables.localPort]: String(marker.localPort),
    ...(marker.container ? { [markerVariables.container]: marker.container } : {}),
  };
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

/**
 * The configuration with the environment file, the local port's variables and the marker added (a container
 * variable of an earlier marking goes when none is chosen now). A Node.js launch also captures stdout and stderr:
 * the Debug Console otherwise stays empty for an app that writes with `console.log` or `process.stdout`.
 */
export function withMarker(configuration: LaunchConfiguration, marker: ConnectMarker): LaunchConfiguration {
  const env = { ...envOf(configuration) };
  delete env[markerVariables.container];
  const marked: LaunchConfiguration = {
    ...configuration,
    ...(isNodeType(configuration.type) && configuration.outputCapture === undefined ? { outputCapture: 'std' } : {}),
    envFile: envFileSetting(marker.service),
    env: { ...env, ...portEnvironment(configuration.type, marker.localPort), ...markerEnvironment(marker) },
  };
  delete marked[legacyMarkerProperty];
  return marked;
}

export function isNodeType(type: string): boolean {
  return type === 'node' || type === 'pwa-node';
}
