import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attachConfiguration, shouldReattach, upIdProperty } from '../../src/debug/attachConfiguration';
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

  it('DotNet_And_A_Service_Without_Debug_Mode_Say_What_Is_Missing', () => {
    const dotnet = attachConfiguration(up({ runtime: 'dotNet', remotePort: null, localPort: null, stopOnEntry: false, remoteRoot: '/app' }), '/src/web');
    assert.match('config' in dotnet ? '' : dotnet.problem, /devspaces debug --print-launch-config.*vsdbg or netcoredbg.*devspaces exec.*DEVSPACES_DOTNET_DEBUGGER/);
    const plain = attachConfiguration(up(null), '/src/web');
    assert.match('config' in plain ? '' : plain.problem, /without debug mode/);
  });

  it('Java_Reattaches_Only_After_A_Restart_Soon_After_Its_Session_Ended', () => {
    assert.equal(shouldReattach('restarted', 1_000, 5_000), true);
    assert.equal(shouldReattach('redeployed', 1_000, 60_000), true);
    assert.equal(shouldReattach('synced', 1_000, 5_000), false);
    assert.equal(shouldReattach('restarted', undefined, 5_000), false, 'a session still attached');
    assert.equal(shouldReattach('restarted', 1_000, 1_000 + 10 * 60_000), false, 'ended long ago: the user stopped it');
  });
});
