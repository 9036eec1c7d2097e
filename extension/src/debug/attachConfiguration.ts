import { UpInfo } from '../protocol/types';

/** The debug type the extension contributes: F5 runs the folder's service in debug mode and attaches. */
export const devSpacesDebugType = 'devspaces';

/** Marks the attach session started for a service, so its end and the service's restarts can be matched to it. */
export const upIdProperty = '__devspacesUpId';

/** What a `devspaces` launch configuration may say (package.json's configurationAttributes). */
export interface DevSpacesLaunch {
  /** The service's folder (holding devspaces.yaml); default: the workspace folder. */
  folder?: string;
  /** The space; default: the selected one. */
  space?: string;
  /** The process waits for the debugger before its first line, at every restart. */
  stopOnEntry?: boolean;
  /** Remove the service from its space (down) when the debug session ends; default: it keeps running. */
  removeOnStop?: boolean;
  /** NAME=value build arguments over devspaces.yaml's (default: the devspaces.up.buildArgs setting). */
  buildArgs?: string[];
}

export type AttachConfiguration = { type: string; request: 'attach'; name: string; [key: string]: unknown };

/**
 * The runtime's own attach configuration for a service up in debug mode (the same the CLI's
 * `debug --print-launch-config` prints), or the reason there is none.
 */
export function attachConfiguration(up: UpInfo, localRoot: string): { config: AttachConfiguration } | { problem: string } {
  const debug = up.debug;
  if (!debug) {
    return { problem: `${up.service} runs in '${up.space}' without debug mode.` };
  }
  const name = `${up.service}: attach in the cluster (DevSpaces)`;
  if (debug.runtime === 'dotNet' || debug.localPort == null) {
    return {
      problem:
        `F5 does not attach to .NET yet: ${up.service} runs in debug mode in '${up.space}'; run \`devspaces debug --print-launch-config\` in its folder ` +
        `and start the printed coreclr configuration (C# extension), which runs vsdbg or netcoredbg in the container through \`devspaces exec\` ` +
        `(set DEVSPACES_DOTNET_DEBUGGER to a local folder with a Linux build of either).`,
    };
  }
  if (debug.runtime === 'node') {
    const config: AttachConfiguration = {
      type: 'node',
      request: 'attach',
      name,
      address: '127.0.0.1',
      port: debug.localPort,
      localRoot,
      remoteRoot: debug.remoteRoot ?? '/app',
      restart: true,
      skipFiles: ['<node_internals>/**'],
      [upIdProperty]: up.id,
    };
    return { config };
  }
  return { config: { type: 'java', request: 'attach', name, hostName: '127.0.0.1', port: debug.localPort, [upIdProperty]: up.id } };
}

/** Java sessions end with their JVM: re-attach when the service reports a new process soon after the session ended. */
export function shouldReattach(kind: string, endedAt: number | undefined, now: number, windowMs = 180_000): boolean {
  return (kind === 'restarted' || kind === 'redeployed') && endedAt !== undefined && now - endedAt <= windowMs;
}
