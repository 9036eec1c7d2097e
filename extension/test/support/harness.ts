import { recorded, resetFake, FakeLogChannel } from './fakeVscode';
import { CommandContext, CommandIds } from '../../src/commands/CommandContext';
import { registerCommands } from '../../src/commands/registerCommands';
import { registerConnect } from '../../src/connect/registerConnect';
import { registerPortForwarding } from '../../src/portForward/registerPortForwarding';
import { registerProject } from '../../src/project/registerProject';
import { registerUp } from '../../src/up/registerUp';
import { UpsModel } from '../../src/up/UpsModel';
import { registerDebug } from '../../src/debug/registerDebug';
import { registerTraces } from '../../src/traces/registerTraces';
import * as rpc from '../../src/protocol/methods';
import { SpacesModel } from '../../src/state/SpacesModel';
import { ErrorPresenter } from '../../src/ui/ErrorPresenter';
import { SpaceStatusBar } from '../../src/ui/SpaceStatusBar';
import { SpacesTreeProvider } from '../../src/ui/SpacesTreeProvider';
import { FakeDaemonClient } from './FakeDaemonClient';
import { connected, selection, teamTree } from './spaceFixtures';

/** The extension's parts wired as the client wires them, around a fake daemon. */
export interface Harness {
  readonly daemon: FakeDaemonClient;
  readonly model: SpacesModel;
  readonly statusBar: SpaceStatusBar;
  readonly tree: SpacesTreeProvider;
  readonly log: FakeLogChannel;
  run(command: string, ...args: unknown[]): Promise<unknown>;
  dispose(): void;
}

export function createHarness(): Harness {
  resetFake();
  const daemon = new FakeDaemonClient();
  const log = new FakeLogChannel('DevSpaces');
  daemon.handle(rpc.CurrentSpace.type, () => selection('team'));
  daemon.handle(rpc.ContextStatus.type, () => connected());
  daemon.handle(rpc.ListSpaces.type, () => teamTree('team'));
  daemon.handle(rpc.ListServices.type, ({ space }) => ({ space: space ?? 'team', services: [] }));
  const model = new SpacesModel(daemon, log);
  const statusBar = new SpaceStatusBar(model);
  const tree = new SpacesTreeProvider(model);
  const context: CommandContext = {
    daemon,
    model,
    errors: new ErrorPresenter(log, { showOutput: CommandIds.showOutput, restartDaemon: CommandIds.restartDaemon }),
    showOutput: () => log.show(),
    restartDaemon: () => Promise.resolve(),
  };
  const ups = new UpsModel(context.daemon);
  const commands = [...registerCommands(context), ...registerPortForwarding(context, log), ...registerConnect(context, log), ...registerProject(context, log), ...registerUp(context, ups), ...registerDebug(context, ups, () => ({ command: '/opt/devspaces/devspaces', args: [], env: { KUBECONFIG: '/home/dev/.kube/config' } })), ...registerTraces(context)];
  return {
    daemon,
    model,
    statusBar,
    tree,
    log,
    run: async (command, ...args) => {
      const handler = recorded.commands.get(command);
      if (!handler) {
        throw new Error(`Command ${command} is not registered`);
      }
      return await handler(...args);
    },
    dispose: () => {
      for (const command of commands) {
        command.dispose();
      }
      tree.dispose();
      statusBar.dispose();
      model.dispose();
    },
  };
}

export const statusItem = () => {
  const item = recorded.statusBarItems[0];
  if (!item) {
    throw new Error('No status bar item was created');
  }
  return item;
};
