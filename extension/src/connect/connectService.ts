import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import * as rpc from '../protocol/methods';
import { containerPortOf, suggestLocalPort } from '../portForward/localPorts';
import { ServiceInfo } from '../protocol/types';
import { ConnectMarker, connectDebugTypes, envFileRelativePath, LaunchConfiguration, newConfiguration, readMarker } from './launchConfiguration';
import { markLaunchConfiguration, readLaunchConfigurations, saveLaunchConfiguration, saveTask } from './launchJson';
import { DetectedProject, detectProjects } from './projectDetection';
import { localWorkspaceFolder, ServiceConnector, writeEnvFile } from './ServiceConnector';

/** What to do about a launch configuration, as chosen in the third step. */
export type LaunchChoice =
  | { readonly kind: 'create'; readonly project: DetectedProject }
  | { readonly kind: 'existing'; readonly configuration: LaunchConfiguration }
  | { readonly kind: 'none' };

type LaunchItem = vscode.QuickPickItem & { choice?: LaunchChoice };

/**
 * "DevSpaces: Connect a Service…": pick a service of the current space, the local port and a launch configuration
 * (an existing one, or one DevSpaces creates for the project it finds); then take the service over, write its
 * environment to `.devspaces/connect-<service>.env` and mark the configuration so that F5 runs the local process
 * connected.
 */
export async function connectService(context: CommandContext, connector: ServiceConnector): Promise<void> {
  try {
    const list = await context.daemon.request(rpc.ListServices.type, { space: null });
    if (list.services.length === 0) {
      await vscode.window.showInformationMessage(`Space '${list.space}' has no services to connect; deploy your application into it first.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      list.services.map((s) => ({ label: s.name, description: s.ports.map((p) => `${p.port}→${p.targetPort ?? p.port}`).join(', '), service: s })),
      { placeHolder: `Service of '${list.space}' to serve from this machine` },
    );
    if (!picked) {
      return;
    }
    const service = picked.service.name;
    const port = await vscode.window.showInputBox({
      prompt: `Local port your process listens on for '${service}' (cluster requests to '${service}' arrive there)`,
      value: String(await suggestedPort(picked.service)),
      validateInput: (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'A port number, 1-65535'),
    });
    if (!port) {
      return;
    }
    const localPort = Number(port);
    const folder = localWorkspaceFolder();
    const launch = folder ? await pickLaunchChoice(folder, service) : { kind: 'none' as const };
    if (!launch) {
      return;
    }

    const connected = await connector.connect(service, localPort);
    if (!connected) {
      return;
    }
    const { info, container } = connected;
    if (!folder) {
      await vscode.window.showInformationMessage(
        `'${info.service}' now reaches localhost:${info.localPort}. Open a folder to get its environment file and a launch configuration.`,
      );
      return;
    }
    await writeEnvFile(folder, info);
    const marker: ConnectMarker = container ? { service, localPort, container } : { service, localPort };
    let configurationName: string | undefined;
    try {
      configurationName = await applyLaunchChoice(folder, launch, marker);
    } catch (error) {
      await context.errors.show(`'${service}' is connected, but the launch configuration could not be written`, error);
      return;
    }
    announce(info.service, info.localPort, configurationName, folder);
  } catch (error) {
    await context.errors.show('Could not connect the service', error);
  }
}

/** Where the container listens (so the local process can use its usual port), moved when privileged or taken. */
function suggestedPort(service: ServiceInfo): Promise<number> {
  const first = service.ports[0];
  return suggestLocalPort(first ? containerPortOf(first) : 8080);
}

/** Asks which launch configuration runs the local process; undefined when the user cancels. */
export async function pickLaunchChoice(folder: string, service: string): Promise<LaunchChoice | undefined> {
  const [projects, existing] = await Promise.all([detectProjects(folder), readLaunchConfigurations(folder).catch(() => [])]);
  const items: LaunchItem[] = projects.map((project) => ({
    label: '$(add) Create a launch configuration',
    description: `${project.label} · ${project.source}`,
    choice: { kind: 'create', project },
  }));
  if (existing.length > 0) {
    items.push({ label: 'Existing launch configurations', kind: vscode.QuickPickItemKind.Separator });
    // F5 connects only configurations of the debug types the hook is registered for.
    for (const configuration of existing.filter((c) => (connectDebugTypes as readonly string[]).includes(c.type))) {
      const marker = readMarker(configuration);
      items.push({
        label: configuration.name,
        description: marker ? `${configuration.type} · connects '${marker.service}' to localhost:${marker.localPort}` : configuration.type,
        choice: { kind: 'existing', configuration },
      });
    }
  }
  if (items.length === 0) {
    // Nothing to create or pick: the environment file is all there is to offer.
    return { kind: 'none' };
  }
  items.push(
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: 'No launch configuration', description: `only write ${envFileRelativePath(service)}`, choice: { kind: 'none' } },
  );
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: `Launch configuration that runs your local '${service}' (F5 connects it first)`,
  });
  return picked?.choice;
}

/** Writes the chosen configuration; returns its name (undefined for none). */
export async function applyLaunchChoice(folder: string, choice: LaunchChoice, marker: ConnectMarker): Promise<string | undefined> {
  switch (choice.kind) {
    case 'none':
      return undefined;
    case 'existing':
      await markLaunchConfiguration(folder, choice.configuration.name, marker);
      return choice.configuration.name;
    case 'create': {
      if (choice.project.buildTask) {
        await saveTask(folder, choice.project.buildTask);
      }
      const configuration = newConfiguration(choice.project, marker);
      await saveLaunchConfiguration(folder, configuration);
      return configuration.name;
    }
  }
}

function announce(service: string, localPort: number, configuration: string | undefined, folder: string): void {
  const what = `'${service}' is connected: its cluster traffic now reaches localhost:${localPort}.`;
  if (!configuration) {
    void vscode.window.showInformationMessage(
      `${what} Its environment is in ${envFileRelativePath(service)} (use it as "envFile" in your launch configuration).`,
    );
    return;
  }
  const start = 'Start Debugging';
  // Not awaited: the notification stays while the user presses F5 or clicks.
  void vscode.window
    .showInformationMessage(`${what} Launch configuration '${configuration}' runs your process with the cluster's environment (F5).`, start)
    .then((answer) => (answer === start ? vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === folder), configuration) : undefined));
}
