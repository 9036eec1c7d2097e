import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attachConfiguration,
  dotNetAttach,
  dotNetDebuggerFolder,
  dotNetDebuggerNeeded,
  isDotNetFolder,
  shouldReattach,
  upIdProperty,
} from '../../src/debug/attachConfiguration';
import { UpDebugInfo, UpInfo } from '../../src/protocol/types';

const up = (debug: UpDebugInfo | null): UpInfo => ({
  id: 'dev/web',
  service: 'web',
  space: 'dev',
  folder: '/src/web',
  url: 'http://127.0.0.1:40123/',
  image: 'web:ds-1',
  pod: 'web-1',
  watching: true,
  debug,
});

describe('attachConfiguration', () => {
  it('Node_Attaches_To_The_Forwarded_Inspector_Mapping_The_Folder_To_Sync_To_And_Restarts', () => {
    const config = attachConfiguration(up({ runtime: 'node', remotePort: 9229, localPort: 41000, stopOnEntry: false, remoteRoot: '/app' }), '/src/web');
    assert.deepEqual('config' in config && config.config, {
      type: 'node',
      request: 'attach',
      name: 'web: attach in the cluster (DevSpaces)',
      address: '127.0.0.1',
      port: 41000,
      localRoot: '/src/web',
      remoteRoot: '/app',
      restart: true,
      skipFiles: ['<node_internals>/**'],
      [upIdProperty]: 'dev/web',
    });
  });

  it('Java_Uses_The_Java_Debuggers_Attach_Fields', () => {
    const config = attachConfiguration(up({ runtime: 'java', remotePort: 5005, localPort: 5005, stopOnEntry: true, remoteRoot: '/app' }), '/src/web');
    assert.deepEqual('config' in config && config.config, { type: 'java', request: 'attach', name: 'web: attach in the cluster (DevSpaces)', hostName: '127.0.0.1', port: 5005, [upIdProperty]: 'dev/web' });
  });

  it('A_Service_Without_Debug_Mode_Or_Forward_Says_What_Is_Missing', () => {
    const plain = attachConfiguration(up(null), '/src/web');
    assert.match('config' in plain ? '' : plain.problem, /without debug mode/);
    const unforwarded = attachConfiguration(up({ runtime: 'node', remotePort: 9229, localPort: null, stopOnEntry: false, remoteRoot: '/app' }), '/src/web');
    assert.match('config' in unforwarded ? '' : unforwarded.problem, /no debug port is forwarded/);
  });

  it('Java_Reattaches_Only_After_A_Restart_Soon_After_Its_Session_Ended', () => {
    assert.equal(shouldReattach('restarted', 1_000, 5_000), true);
    assert.equal(shouldReattach('redeployed', 1_000, 60_000), true);
    assert.equal(shouldReattach('synced', 1_000, 5_000), false);
    assert.equal(shouldReattach('restarted', undefined, 5_000), false, 'a session still attached');
    assert.equal(shouldReattach('restarted', 1_000, 1_000 + 10 * 60_000), false, 'ended long ago: the user stopped it');
  });
});

// What `devspaces debug --print-launch-config` prints in a .NET service's folder (run there, so localRoot is ${workspaceFolder}).
const printed = (processId: number | string): string =>
  JSON.stringify({
    version: '0.2.0',
    configurations: [
      {
        type: 'coreclr',
        request: 'attach',
        name: 'api: attach in the cluster (DevSpaces)',
        processId,
        pipeTransport: {
          pipeCwd: '${workspaceFolder}',
          pipeProgram: 'devspaces',
          pipeArgs: ['exec', 'api', '--space', 'dev', '--resume-after-attach', '--'],
          debuggerPath: '/devspaces-debugger/netcoredbg',
          quoteArgs: false,
        },
        sourceFileMap: { '/src': '${workspaceFolder}' },
      },
    ],
  });

describe('dotNetAttach', () => {
  const dotnet = { ...up({ runtime: 'dotNet', remotePort: null, localPort: null, stopOnEntry: false, remoteRoot: '/app' }), id: 'dev/api', service: 'api', folder: '/src/api' };

  it('DotNet_Attaches_Through_Exec_With_This_Machines_Cli_And_Kubeconfig_And_Maps_The_Build_Folder_To_The_Service_Folder', () => {
    const found = dotNetAttach(dotnet, '/src/api', printed(7), '/opt/devspaces/devspaces', '/home/dev/.kube/config');
    assert.deepEqual('config' in found && found.config, {
      type: 'coreclr',
      request: 'attach',
      name: 'api: attach in the cluster (DevSpaces)',
      processId: 7,
      pipeTransport: {
        pipeCwd: '/src/api',
        pipeProgram: '/opt/devspaces/devspaces',
        pipeArgs: ['exec', 'api', '--space', 'dev', '--resume-after-attach', '--'],
        debuggerPath: '/devspaces-debugger/netcoredbg',
        quoteArgs: false,
        pipeEnv: { KUBECONFIG: '/home/dev/.kube/config' },
      },
      sourceFileMap: { '/src': '/src/api' },
      [upIdProperty]: 'dev/api',
    });
    const withoutKubeconfig = dotNetAttach(dotnet, '/src/api', printed(7), '/opt/devspaces/devspaces', undefined);
    assert.equal('config' in withoutKubeconfig && 'pipeEnv' in (withoutKubeconfig.config['pipeTransport'] as object), false, 'the environment kubeconfig reaches the pipe as it is');
  });

  it('DotNet_Without_A_Process_Yet_Or_A_Configuration_Says_So', () => {
    const early = dotNetAttach(dotnet, '/src/api', printed('${command:pickRemoteProcess}'), '/opt/devspaces/devspaces', undefined);
    assert.match('config' in early ? '' : early.problem, /^No \.NET process of api was found in its container in 'dev' yet: .*press F5 again\.$/);
    const garbage = dotNetAttach(dotnet, '/src/api', 'devspaces: error', '/opt/devspaces/devspaces', undefined);
    assert.match('config' in garbage ? '' : garbage.problem, /printed no launch configuration for api/);
    const node = dotNetAttach(dotnet, '/src/api', JSON.stringify({ configurations: [{ type: 'node' }] }), '/opt/devspaces/devspaces', undefined);
    assert.match('config' in node ? '' : node.problem, /printed no coreclr configuration for api/);
  });

  it('The_Debugger_Setting_Wins_Over_The_Environment_And_Blank_Is_None', () => {
    assert.equal(dotNetDebuggerFolder('/opt/netcoredbg', { DEVSPACES_DOTNET_DEBUGGER: '/opt/vsdbg' }), '/opt/netcoredbg');
    assert.equal(dotNetDebuggerFolder('  ', { DEVSPACES_DOTNET_DEBUGGER: '/opt/vsdbg' }), '/opt/vsdbg');
    assert.equal(dotNetDebuggerFolder(undefined, { DEVSPACES_DOTNET_DEBUGGER: ' ' }), undefined);
    assert.equal(dotNetDebuggerFolder(undefined, {}), undefined);
  });

  it('A_Folder_With_A_Project_File_Is_DotNet', () => {
    assert.equal(isDotNetFolder(['Program.cs', 'Api.csproj', 'devspaces.yaml']), true);
    assert.equal(isDotNetFolder(['App.fsproj']), true);
    assert.equal(isDotNetFolder(['server.js', 'package.json', 'csproj.md']), false);
  });

  it('The_Message_Without_A_Debugger_Names_The_Setting_The_Variable_Both_Debuggers_And_The_CSharp_Extension', () => {
    assert.match(dotNetDebuggerNeeded, /'devspaces\.debug\.dotnetDebugger'.*DEVSPACES_DOTNET_DEBUGGER.*vsdbg.*netcoredbg.*ms-dotnettools\.csharp/);
  });
});
