import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionsModel, envFileText } from '../../src/connect/ConnectionsModel';
import * as rpc from '../../src/protocol/methods';
import { ConnectEventInfo, ConnectInfo, StartConnectParams } from '../../src/protocol/types';
import { FakeDaemonClient } from '../support/FakeDaemonClient';

const info = (params: StartConnectParams): ConnectInfo => ({
  session: 'abc123',
  space: params.space ?? 'dev',
  service: params.service,
  workload: { kind: 'deployment', name: params.service },
  container: params.service,
  localPort: params.localPort,
  owner: 'me@laptop',
  startedAt: '2026-11-26T08:00:00.0000000Z',
  environment: [
    { name: 'QUOTES_URL', value: 'http://127.0.0.1:41001' },
    { name: 'GREETING', value: 'hello "world"' },
  ],
  endpoints: [{ service: 'quotes', namespace: 'dev', portName: 'http', servicePort: 80, localPort: 41001, hostAddress: null }],
  mounts: [],
});

const event = (kind: ConnectEventInfo['kind'], session: string | null = 'abc123'): ConnectEventInfo => ({
  session,
  service: 'api',
  kind,
  message: `${kind} happened`,
  time: '2026-11-26T08:00:01.0000000Z',
});

function setUp(): { daemon: FakeDaemonClient; model: ConnectionsModel } {
  const daemon = new FakeDaemonClient();
  daemon.handle(rpc.StartConnect.type, (params) => info(params));
  daemon.handle(rpc.StopConnect.type, () => null);
  return { daemon, model: new ConnectionsModel(daemon) };
}

describe('Connections model', () => {
  it('A_Started_Session_Is_Listed_And_Stopping_It_Asks_The_Daemon_To_Restore', async () => {
    const { daemon, model } = setUp();
    let changes = 0;
    model.onDidChange(() => changes++);
    await model.start({ service: 'api', localPort: 8080, space: 'dev', container: null });
    assert.deepEqual(model.active.map((c) => c.service), ['api']);
    await model.stop('abc123');
    assert.deepEqual(daemon.sentTo(rpc.StopConnect.method), [{ session: 'abc123' }]);
    assert.equal(model.active.length, 0);
    assert.equal(changes, 2);
  });

  it('A_Session_Restored_By_Its_Agent_Leaves_The_List_And_Is_Noticed', async () => {
    const { daemon, model } = setUp();
    const noticed: string[] = [];
    model.onDidNotice((e) => noticed.push(e.kind));
    await model.start({ service: 'api', localPort: 8080, space: 'dev', container: null });
    daemon.notify(rpc.ConnectEvent.type, event('progress', null));
    daemon.notify(rpc.ConnectEvent.type, event('localPortNotListening'));
    daemon.notify(rpc.ConnectEvent.type, event('restored'));
    assert.equal(model.active.length, 0);
    assert.deepEqual(noticed, ['localPortNotListening', 'restored']);
  });

  it('A_Daemon_Restart_Empties_The_List', async () => {
    const { daemon, model } = setUp();
    await model.start({ service: 'api', localPort: 8080, space: 'dev', container: null });
    daemon.setState({ kind: 'starting', attempt: 2 });
    assert.equal(model.active.length, 0);
  });

  it('The_Env_File_Quotes_Values_That_Need_It', () => {
    assert.equal(
      envFileText(info({ service: 'api', localPort: 8080, space: 'dev', container: null })),
      'QUOTES_URL=http://127.0.0.1:41001\nGREETING="hello \\"world\\""\n',
    );
  });
});
