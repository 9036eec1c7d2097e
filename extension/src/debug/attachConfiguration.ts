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
  if (debug.runtime === 'dotNet') {
    return { problem: `${up.service} is a .NET service: its coreclr configuration comes from \`devspaces debug --print-launch-config\`.` };
  }
  if (debug.localPort == null) {
    return { problem: `${up.service} runs in debug mode in '${up.space}', but no debug port is forwarded to this machine.` };
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

/** The setting naming the local folder with a Linux build of vsdbg or netcoredbg. */
export const dotNetDebuggerSetting = 'devspaces.debug.dotnetDebugger';

/** The environment variable the daemon reads for the same folder (the setting wins). */
export const dotNetDebuggerVariable = 'DEVSPACES_DOTNET_DEBUGGER';

/** What F5 says on a .NET service when no debugger is configured. */
export const dotNetDebuggerNeeded =
  `F5 on a .NET service needs a .NET debugger: set '${dotNetDebuggerSetting}' (or the environment variable ${dotNetDebuggerVariable}) ` +
  'to a local folder holding a Linux x64 build of vsdbg (Microsoft\'s GetVsDbg.sh -v latest -r linux-x64 -l <folder>) or netcoredbg ' +
  '(netcoredbg-linux-amd64.tar.gz of the Samsung/netcoredbg releases, unpacked); DevSpaces copies it into the pod. ' +
  'The session itself is the C# extension\'s (ms-dotnettools.csharp).';

/** The configured debugger folder: the setting, else the environment variable; undefined when neither is set. */
export function dotNetDebuggerFolder(setting: string | undefined, environment: NodeJS.ProcessEnv): string | undefined {
  const chosen = setting?.trim() || environment[dotNetDebuggerVariable]?.trim();
  return chosen || undefined;
}

/** A folder holding a .NET project file: F5 says what it needs before anything is built. */
export function isDotNetFolder(fileNames: readonly string[]): boolean {
  return fileNames.some((name) => /\.(cs|fs|vb)proj$/i.test(name));
}

/**
 * The coreclr attach configuration for a .NET service from what `devspaces debug --print-launch-config` printed in its
 * folder: the pipeTransport runs this machine's devspaces executable (the extension host's PATH is not the user's) with
 * the kubeconfig the daemon uses, and `${workspaceFolder}` is the service's folder.
 */
export function dotNetAttach(
  up: UpInfo,
  folder: string,
  printed: string,
  cli: string,
  kubeconfig: string | undefined,
): { config: AttachConfiguration } | { problem: string } {
  let launch: { configurations?: Record<string, unknown>[] };
  try {
    launch = JSON.parse(printed.split('${workspaceFolder}').join(folder.replace(/\\/g, '/'))) as typeof launch;
  } catch {
    return { problem: `\`devspaces debug --print-launch-config\` printed no launch configuration for ${up.service}: ${printed.slice(0, 200)}` };
  }
  const printedConfig = launch.configurations?.[0];
  const pipe = printedConfig?.['pipeTransport'] as Record<string, unknown> | undefined;
  if (!printedConfig || printedConfig['type'] !== 'coreclr' || !pipe) {
    return { problem: `\`devspaces debug --print-launch-config\` printed no coreclr configuration for ${up.service}.` };
  }
  if (typeof printedConfig['processId'] !== 'number') {
    return {
      problem: `No .NET process of ${up.service} was found in its container in '${up.space}' yet: wait until it has started (its output shows it) and press F5 again.`,
    };
  }
  const pipeTransport = { ...pipe, pipeProgram: cli, ...(kubeconfig ? { pipeEnv: { KUBECONFIG: kubeconfig } } : {}) };
  return {
    config: { ...printedConfig, type: 'coreclr', request: 'attach', name: String(printedConfig['name']), pipeTransport, [upIdProperty]: up.id },
  };
}
