import * as vscode from 'vscode';
import { CommandContext } from '../commands/CommandContext';
import { DaemonLaunch } from '../daemon/DaemonSupervisor';
import { UpsModel } from '../up/UpsModel';
import { devSpacesDebugType } from './attachConfiguration';
import { DevSpacesDebugProvider } from './DevSpacesDebugProvider';

/** The `devspaces` debug type: F5 runs the service in debug mode in its space and attaches the runtime's debugger. */
export function registerDebug(context: CommandContext, ups: UpsModel, daemon: () => DaemonLaunch): vscode.Disposable[] {
  const provider = new DevSpacesDebugProvider(ups, context.errors, daemon);
  return [
    provider,
    // The default trigger kind (Initial) also offers its configuration when launch.json has none.
    vscode.debug.registerDebugConfigurationProvider(devSpacesDebugType, provider),
  ];
}
