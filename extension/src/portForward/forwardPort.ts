import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { ErrorCodes } from '../protocol/errors';
import * as rpc from '../protocol/methods';
import { PortForwardInfo, ServiceInfo, ServicePortInfo } from '../protocol/types';
import { describeError } from '../ui/ErrorPresenter';
import { withDelayedProgress } from '../ui/withDelayedProgress';
import { PortForwardsModel, localAddress } from './PortForwardsModel';
import { containerPortOf, isLocalPortFree, suggestLocalPort } from './localPorts';
import { splitPortMappings, validatePortMappings, validateTarget } from './portMappings';

export const openInBrowserAction = 'Open in Browser';
export const copyAddressAction = 'Copy Address';

interface TargetChoice {
  readonly target: string;
  readonly space: string | null;
  readonly service: ServiceInfo | undefined;
}

type TargetItem = vscode.QuickPickItem & { readonly choice?: TargetChoice; readonly typeIt?: true };
type PortItem = vscode.QuickPickItem & { readonly mapping?: string; readonly typeIt?: true };

/**
 * "DevSpaces: Forward a Port…": target (a service of the current space, or a typed pod/deployment),
 * then the port mapping, then starts the forward and offers the local address.
 */
export async function forwardPort(context: CommandContext, forwards: PortForwardsModel, argument?: unknown): Promise<void> {
  try {
    const choice = serviceFromArgument(argument) ?? (await pickTarget(context));
    if (!choice) {
      return;
    }
    const mappings = await pickMappings(choice);
    if (!mappings) {
      return;
    }
    const where = choice.space ? ` in '${choice.space}'` : '';
    const info = await startWithRetry(forwards, choice, mappings, `Forwarding ${choice.target}${where}…`);
    if (info) {
      await offerAddress(info);
    }
  } catch (error) {
    await context.errors.show('Could not forward the port', error);
  }
}

async function startWithRetry(
  forwards: PortForwardsModel,
  choice: TargetChoice,
  mappings: string[],
  title: string,
): Promise<PortForwardInfo | undefined> {
  try {
    return await withDelayedProgress(title, (token) =>
      forwards.start({ target: choice.target, ports: mappings, space: choice.space, address: null }, token),
    );
  } catch (error) {
    const described = describeError(error);
    const code = (error as { code?: unknown }).code;
    if (code !== ErrorCodes.LocalPortInUse || mappings.every((m) => m.startsWith(':'))) {
      throw error;
    }
    // The daemon's message names the process holding the port; offer the way out in one click.
    const anyPort = 'Use Any Free Local Port';
    const answer = await vscode.window.showErrorMessage(
      `Could not forward the port: ${described.message}${described.hint ? ` ${described.hint}` : ''}`,
      anyPort,
    );
    if (answer !== anyPort) {
      return undefined;
    }
    const anyLocal = mappings.map((mapping) => `:${mapping.includes(':') ? mapping.slice(mapping.indexOf(':') + 1) : mapping}`);
    return await withDelayedProgress(title, (token) =>
      forwards.start({ target: choice.target, ports: anyLocal, space: choice.space, address: null }, token),
    );
  }
}

async function offerAddress(info: PortForwardInfo): Promise<void> {
  const address = localAddress(info);
  const url = `http://${address ?? '127.0.0.1'}`;
  const others = info.ports.length > 1 ? ` (and ${info.ports.length - 1} more port${info.ports.length > 2 ? 's' : ''})` : '';
  const remote = info.ports[0]?.remotePort ?? '?';
  const answer = await vscode.window.showInformationMessage(
    `Forwarding ${url}${others} to ${info.target} port ${remote} in space '${info.namespace}'${info.pod ? ` (pod ${info.pod})` : ''}.`,
    openInBrowserAction,
    copyAddressAction,
  );
  if (answer === openInBrowserAction) {
    await vscode.env.openExternal(vscode.Uri.parse(url));
  } else if (answer === copyAddressAction) {
    await vscode.env.clipboard.writeText(url);
  }
}

/** A service clicked in the "Dev Spaces" view. */
function serviceFromArgument(argument: unknown): TargetChoice | undefined {
  const node = argument as { kind?: unknown; space?: unknown; service?: ServiceInfo } | undefined;
  if (node?.kind === 'service' && typeof node.space === 'string' && node.service) {
    return { target: `service/${node.service.name}`, space: node.space, service: node.service };
  }
  return undefined;
}

async function pickTarget(context: CommandContext): Promise<TargetChoice | undefined> {
  const space = context.model.snapshot.selection?.space ?? null;
  const items: TargetItem[] = [];
  let problem: string | undefined;
  try {
    const services = space ? await context.model.servicesOf(space) : await listServicesOfSelected(context);
    for (const service of services) {
      items.push({
        label: `$(plug) service/${service.name}`,
        description: service.ports.map((port) => `${port.port}${port.name ? ` (${port.name})` : ''}`).join(', ') || 'no ports',
        choice: { target: `service/${service.name}`, space, service },
      });
    }
  } catch (error) {
    // A target can still be typed; the daemon resolves it against the selected space.
    problem = describeError(error).message;
  }
  items.push({
    label: '$(edit) Enter a target…',
    description: 'pod/NAME, deployment/NAME or service/NAME',
    typeIt: true,
  });
  const placeHolder = problem
    ? `Services unavailable (${problem}); enter a target`
    : items.length === 1
      ? `No services in ${space ? `space '${space}'` : 'the current space'}; enter a target`
      : `Forward a port of a service in ${space ? `space '${space}'` : 'the current space'}`;
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  if (!picked) {
    return undefined;
  }
  if (picked.choice) {
    return picked.choice;
  }
  const typed = await vscode.window.showInputBox({
    title: 'Forward a port',
    prompt: `Target in ${space ? `space '${space}'` : 'the current space'} (NAMESPACE/KIND/NAME for another namespace)`,
    placeHolder: 'deployment/api',
    validateInput: validateTarget,
  });
  return typed === undefined ? undefined : { target: typed.trim(), space, service: undefined };
}

async function listServicesOfSelected(context: CommandContext): Promise<ServiceInfo[]> {
  return (await context.daemon.request(rpc.ListServices.type, { space: null })).services;
}

async function pickMappings(choice: TargetChoice): Promise<string[] | undefined> {
  const tcpPorts = (choice.service?.ports ?? []).filter((port) => port.protocol.toUpperCase() === 'TCP');
  let value = '';
  if (tcpPorts.length > 0) {
    // Locally, the container's port (an unprivileged, free one): 80 needs root, and the app's port is the familiar one.
    const mappings = new Map<ServicePortInfo, string>();
    const taken = new Set<number>();
    for (const port of tcpPorts) {
      const local = await suggestLocalPort(containerPortOf(port), async (candidate) => !taken.has(candidate) && (await isLocalPortFree(candidate)));
      taken.add(local);
      mappings.set(port, `${local}:${port.port}`);
    }
    const items: PortItem[] = tcpPorts.map((port) => ({
      label: `${port.port}`,
      description: [port.name, port.targetPort && port.targetPort !== String(port.port) ? `→ pod port ${port.targetPort}` : '']
        .filter(Boolean)
        .join(' '),
      detail: `Forwards local port ${mappings.get(port)?.split(':')[0] ?? port.port} to service port ${port.port}`,
      mapping: mappings.get(port),
    }));
    if (tcpPorts.length > 1) {
      items.push({
        label: 'All ports',
        description: tcpPorts.map((port) => port.port).join(', '),
        mapping: tcpPorts.map((port) => mappings.get(port)).join(' '),
      });
    }
    items.push({ label: '$(edit) Other mapping…', description: 'LOCAL:REMOTE', typeIt: true });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: `Port of ${choice.target} to forward` });
    if (!picked) {
      return undefined;
    }
    value = picked.mapping ?? '';
  }
  // Confirming the mapping lets the user change the local port when the same one is taken.
  const typed = await vscode.window.showInputBox({
    title: `Forward ${choice.target}`,
    prompt: 'LOCAL:REMOTE (several separated by spaces); :REMOTE picks any free local port',
    placeHolder: '8080:80',
    value,
    validateInput: validatePortMappings,
  });
  return typed === undefined ? undefined : splitPortMappings(typed);
}
