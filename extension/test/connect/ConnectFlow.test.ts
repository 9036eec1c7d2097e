import { FakeStatusBarItem, recorded } from '../support/fakeVscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { ResponseError } from 'vscode-jsonrpc';
import { ConnectDebugProvider } from '../../src/connect/ConnectDebugProvider';
import { ConnectCommandIds } from '../../src/connect/registerConnect';
import { ErrorCodes } from '../../src/protocol/errors';
import * as rpc from '../../src/protocol/methods';
import { ConnectEventInfo, ConnectInfo, ServiceInfo, StartConnectParams } from '../../src/protocol/types';
import { Harness, createHarness } from '../support/harness';
import { selection } from '../support/spaceFixtures';
import { waitFor } from '../support/waitFor';

const api: ServiceInfo = {
  name: 'api',
  type: 'ClusterIP',
  clusterIP: '10.0.0.9',
  // A named target port: the daemon resolved it to the container's 3000 (80, the service port, would need root).
  ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: null, containerPort: 3000 }],
};

const sessionFor = (params: StartConnectParams, session = 'sess-1'): ConnectInfo => ({
  session,
  space: 'team',
  service: params.service,
  workload: { kind: 'deployment', name: params.service },
  container: params.container ?? params.service,
  localPort: params.localPort,
  owner: 'me@laptop',
  startedAt: '2026-11-26T08:00:00.0000000Z',
  environment: [
    { name: 'PORT', value: '8080' },
    { name: 'QUOTES_URL', value: 'http://127.0.0.1:41001' },
  ],
  endpoints: [],
  mounts: [],
});

const event = (kind: ConnectEventInfo['kind'], message = `${kind} happened`, session = 'sess-1'): ConnectEventInfo => ({
  session,
  service: 'api',
  kind,
  message,
  time: '2026-11-26T08:00:01.0000000Z',
});

const pickLabel = (label: string) => (items: { label: string }[]) => items.find((item) => item.label === label);
const pickLabelContaining = (text: string) => (items: { label: string }[]) => items.find((item) => item.label.includes(text));

let harness: Harness;
let folder: string;
let started: StartConnectParams[];

function provider(): ConnectDebugProvider {
  const registered = recorded.debugProviders.get('node');
  assert.ok(registered instanceof ConnectDebugProvider, 'a debug configuration provider is registered for node');
  return registered;
}

function connectItem(): FakeStatusBarItem {
  const item = recorded.statusBarItems.find((i) => i.id === 'devspaces.connect');
  assert.ok(item, 'the connect status-bar item exists');
  return item;
}

const workspaceFolder = () => ({ uri: { scheme: 'file', fsPath: folder }, name: 'app', index: 0 });
const envFile = () => fs.readFileSync(path.join(folder, '.devspaces', 'connect-api.env'), 'utf8');

beforeEach(() => {
  harness = createHarness();
  harness.daemon.setState({ kind: 'running', version: '0.1.0', pid: 42 });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-connect-'));
  recorded.workspaceFolders = [workspaceFolder()];
  started = [];
  harness.daemon.handle(rpc.ListServices.type, () => ({ space: 'team', services: [api] }));
  harness.daemon.handle(rpc.StartConnect.type, (params) => {
    started.push(params);
    return sessionFor(params);
  });
  harness.daemon.handle(rpc.StopConnect.type, () => null);
});

afterEach(() => {
  harness.dispose();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function connectFromPalette(launchChoice: (items: { label: string }[]) => unknown, port = '5000'): Promise<void> {
  recorded.user.quickPick.push(pickLabel('api'), launchChoice);
  recorded.user.inputBox.push(port);
  await harness.run(ConnectCommandIds.connect);
}

describe('Connect a Service…', () => {
  it('The_Connect_Settings_Reach_The_Daemon', async () => {
    recorded.configuration.set('devspaces.connect.copyMountedFiles', false);
    recorded.configuration.set('devspaces.connect.hostsFile', true);
    recorded.configuration.set('devspaces.connect.keepOriginal', true);
    recorded.configuration.set('devspaces.connect.forwardProbes', true);
    recorded.configuration.set('devspaces.connect.isolated', true);
    await connectFromPalette(pickLabelContaining('No launch configuration'));

    assert.deepEqual(started, [{ service: 'api', localPort: 5000, space: null, container: null, mounts: false, hosts: true, keepOriginal: true, forwardProbes: true, isolated: true }]);
  });

  it('Creating_A_Launch_Configuration_Connects_Writes_The_Env_File_And_A_Marked_Configuration', async () => {
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ main: 'server.js' }));
    fs.writeFileSync(path.join(folder, 'server.js'), '');
    await connectFromPalette(pickLabelContaining('Create a launch configuration'));

    assert.deepEqual(started, [{ service: 'api', localPort: 5000, space: null, container: null, mounts: true, hosts: false, keepOriginal: false, forwardProbes: false, isolated: false }]);
    const suggested = Number(recorded.inputBoxes[0]?.options.value);
    assert.ok(suggested >= 3000 && suggested < 3020, `the container port (or the next free one) is suggested: ${suggested}`);
    assert.equal(envFile(), 'PORT=8080\nQUOTES_URL=http://127.0.0.1:41001\n');
    assert.equal(fs.statSync(path.join(folder, '.devspaces', 'connect-api.env')).mode & 0o777, 0o600, 'the environment may hold secrets');
    assert.equal(fs.readFileSync(path.join(folder, '.devspaces', '.gitignore'), 'utf8'), '*\n', 'the environment stays out of git');
    const launch = parse(fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8')) as { configurations: Record<string, unknown>[] };
    assert.deepEqual(launch.configurations.map((c) => [c.name, c.program, c.outputCapture, c.env]), [
      ['DevSpaces: api (Node.js)', '${workspaceFolder}/server.js', 'std', { PORT: '5000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' }],
    ]);
    assert.equal(launch.configurations[0]?.devspaces, undefined, 'no property a debugger does not declare');
    const announced = recorded.messages.find((m) => m.severity === 'info');
    assert.match(announced?.text ?? '', /'api' is connected: its cluster traffic now reaches localhost:5000\. Launch configuration 'DevSpaces: api \(Node\.js\)'/);
    assert.deepEqual(announced?.actions, ['Start Debugging']);
    assert.equal(connectItem().text, '$(plug) api → localhost:5000');
    assert.equal(connectItem().visible, true);
  });

  it('Picking_An_Existing_Configuration_Marks_It_And_Keeps_The_Rest_Of_Launch_Json', async () => {
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(
      path.join(folder, '.vscode', 'launch.json'),
      '{\n  // mine\n  "version": "0.2.0",\n  "configurations": [\n    { "name": "Run api", "type": "node", "request": "launch", "program": "${workspaceFolder}/main.js" }\n  ]\n}\n',
    );
    await connectFromPalette(pickLabel('Run api'));
    const text = fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8');
    assert.match(text, /\/\/ mine/);
    const [configuration] = (parse(text) as { configurations: Record<string, unknown>[] }).configurations;
    assert.deepEqual(configuration?.env, { PORT: '5000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' });
    assert.equal(configuration?.outputCapture, 'std');
    assert.equal(configuration?.envFile, '${workspaceFolder}/.devspaces/connect-api.env');
    assert.equal(configuration?.program, '${workspaceFolder}/main.js');
  });

  it('Several_Containers_Are_Offered_When_The_Daemon_Cannot_Choose_And_The_Choice_Goes_Into_The_Marker', async () => {
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ scripts: { start: 'node app.js' } }));
    fs.writeFileSync(path.join(folder, 'app.js'), '');
    harness.daemon.handle(rpc.StartConnect.type, (params) => {
      started.push(params);
      if (!params.container) {
        throw new ResponseError(
          ErrorCodes.ConnectTargetInvalid,
          "Deployment 'api' has several containers (api, metrics) and the Service's ports do not tell which one to run locally.",
          { hint: 'Choose one with --container <name>.', detail: null, choices: ['api', 'metrics'] },
        );
      }
      return sessionFor(params);
    });
    recorded.user.quickPick.push(pickLabel('api'), pickLabelContaining('Create a launch configuration'), pickLabel('metrics'));
    recorded.user.inputBox.push('5000');
    await harness.run(ConnectCommandIds.connect);

    assert.deepEqual(recorded.quickPicks[2]?.items.map((i) => i.label), ['api', 'metrics']);
    assert.deepEqual(started.map((p) => p.container), [null, 'metrics']);
    const launch = parse(fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8')) as { configurations: Record<string, unknown>[] };
    assert.equal((launch.configurations[0]?.env as Record<string, string>).DEVSPACES_CONTAINER, 'metrics');
    assert.equal(recorded.messages.filter((m) => m.severity === 'error').length, 0);
  });

  it('A_Container_Of_The_Marker_That_No_Longer_Exists_Is_Chosen_Again_On_F5', async () => {
    harness.daemon.handle(rpc.StartConnect.type, (params) => {
      started.push(params);
      if (params.container !== 'web') {
        throw new ResponseError(ErrorCodes.ConnectTargetInvalid, "Deployment 'api' has no container 'old'; it has web, metrics.", {
          hint: null,
          detail: null,
          choices: ['web', 'metrics'],
        });
      }
      return sessionFor(params);
    });
    recorded.user.quickPick.push(pickLabel('web'));
    const resolved = await provider().resolveDebugConfiguration(workspaceFolder() as never, {
      name: 'api',
      type: 'node',
      request: 'launch',
      env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000', DEVSPACES_CONTAINER: 'old' },
    });
    assert.ok(resolved, 'the launch goes on with the chosen container');
    assert.deepEqual(recorded.quickPicks[0]?.items.map((i) => i.label), ['web', 'metrics']);
    assert.deepEqual(started.map((p) => p.container), ['old', 'web']);
  });

  it('A_Refusal_Other_Than_Several_Containers_Is_Shown_And_Nothing_Is_Written', async () => {
    harness.daemon.handle(rpc.StartConnect.type, () => {
      throw new ResponseError(ErrorCodes.AlreadyConnected, "Service 'api' is already connected by bob@box since 2026-11-26 08:00 UTC (session x).", {
        hint: 'Wait until they disconnect.',
        detail: null,
      });
    });
    await connectFromPalette(() => undefined);
    const error = recorded.messages.find((m) => m.severity === 'error');
    assert.match(error?.text ?? '', /^Could not connect the service: Service 'api' is already connected by bob@box .* Wait until they disconnect\.$/);
    assert.equal(fs.existsSync(path.join(folder, '.devspaces')), false);
    assert.equal(fs.existsSync(path.join(folder, '.vscode')), false);
  });

  it('A_Broken_Launch_Json_Leaves_The_Service_Connected_And_Says_Why_No_Configuration_Was_Written', async () => {
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ main: 'server.js' }));
    fs.writeFileSync(path.join(folder, 'server.js'), '');
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode', 'launch.json'), '{ "configurations": [ { ] }');
    await connectFromPalette(pickLabelContaining('Create a launch configuration'));
    const error = recorded.messages.find((m) => m.severity === 'error');
    assert.match(error?.text ?? '', /'api' is connected, but the launch configuration could not be written: .*launch\.json has a syntax error on line 1/);
    assert.equal(fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8'), '{ "configurations": [ { ] }');
    assert.equal(connectItem().visible, true);
  });
});

describe('F5 on a connected launch configuration', () => {
  const marked = { name: 'DevSpaces: api (Node.js)', type: 'node', request: 'launch', env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' } };

  it('A_Configuration_Without_The_Marker_Passes_Through_Untouched', async () => {
    const plain = { name: 'Plain', type: 'node', request: 'launch', program: 'x.js' };
    assert.deepEqual(await provider().resolveDebugConfiguration(workspaceFolder() as never, plain), plain);
    assert.equal(harness.daemon.sent.filter((s) => s.method.startsWith('connect/')).length, 0);
  });

  it('Connects_The_Service_Writes_The_Env_File_And_Points_The_Configuration_At_It', async () => {
    const resolved = await provider().resolveDebugConfiguration(workspaceFolder() as never, marked);
    assert.deepEqual(started, [{ service: 'api', localPort: 5000, space: null, container: null, mounts: true, hosts: false, keepOriginal: false, forwardProbes: false, isolated: false }]);
    assert.equal(resolved?.envFile, '${workspaceFolder}/.devspaces/connect-api.env');
    assert.equal(envFile(), 'PORT=8080\nQUOTES_URL=http://127.0.0.1:41001\n');
    assert.equal(connectItem().text, '$(plug) api → localhost:5000');
  });

  it('A_Running_Session_On_The_Same_Port_Is_Reused_And_The_Env_File_Written_Fresh', async () => {
    await provider().resolveDebugConfiguration(workspaceFolder() as never, marked);
    fs.writeFileSync(path.join(folder, '.devspaces', 'connect-api.env'), 'STALE=1\n');
    const resolved = await provider().resolveDebugConfiguration(workspaceFolder() as never, { ...marked, envFile: '/custom.env' });
    assert.equal(started.length, 1, 'connect/start was sent once');
    assert.equal(resolved?.envFile, '/custom.env', "the configuration's own envFile is kept");
    assert.equal(envFile(), 'PORT=8080\nQUOTES_URL=http://127.0.0.1:41001\n');
  });

  it('A_Session_On_Another_Port_Is_Only_Replaced_When_The_User_Agrees', async () => {
    await provider().resolveDebugConfiguration(workspaceFolder() as never, marked);
    const other = { ...marked, env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '6000' } };
    assert.equal(await provider().resolveDebugConfiguration(workspaceFolder() as never, other), undefined, 'declined: the launch is aborted');
    assert.deepEqual(harness.daemon.sentTo(rpc.StopConnect.method), []);

    recorded.user.messageAnswers.push('Reconnect to localhost:6000');
    const resolved = await provider().resolveDebugConfiguration(workspaceFolder() as never, other);
    assert.ok(resolved);
    assert.deepEqual(harness.daemon.sentTo(rpc.StopConnect.method), [{ session: 'sess-1' }]);
    assert.deepEqual(started.map((p) => p.localPort), [5000, 6000]);
    assert.equal(connectItem().text, '$(plug) api → localhost:6000');
  });

  it('A_Session_In_Another_Space_Is_Not_Reused_After_Switching_Spaces', async () => {
    await provider().resolveDebugConfiguration(workspaceFolder() as never, marked);
    harness.daemon.notify(rpc.SelectionChanged.type, selection('team-alice'));
    await waitFor(() => harness.model.snapshot.selection?.space === 'team-alice', 'the model to see the new selection');
    harness.daemon.handle(rpc.StartConnect.type, (params) => {
      started.push(params);
      return { ...sessionFor(params, 'sess-2'), space: 'team-alice' };
    });
    await provider().resolveDebugConfiguration(workspaceFolder() as never, marked);
    assert.equal(started.length, 2, "the service is connected in the selected space too");
    assert.deepEqual(harness.daemon.sentTo(rpc.StopConnect.method), [], 'the other space keeps its session');
  });

  it('A_Failed_Connect_Aborts_The_Launch_With_The_Reason', async () => {
    harness.daemon.handle(rpc.StartConnect.type, () => {
      throw new ResponseError(ErrorCodes.AgentFailed, 'The connect agent did not become ready: image missing.', { hint: null, detail: null });
    });
    assert.equal(await provider().resolveDebugConfiguration(workspaceFolder() as never, marked), undefined);
    const error = recorded.messages.find((m) => m.severity === 'error');
    assert.match(error?.text ?? '', /^Could not connect 'api' before starting 'DevSpaces: api \(Node\.js\)': The connect agent did not become ready/);
  });

  it('A_Malformed_Marker_Aborts_The_Launch_And_Says_What_Is_Expected', async () => {
    assert.equal(await provider().resolveDebugConfiguration(workspaceFolder() as never, { ...marked, env: { DEVSPACES_SERVICE: 'api' } }), undefined);
    assert.match(recorded.messages[0]?.text ?? '', /names a service in "env" \(DEVSPACES_SERVICE\) but no local port: set DEVSPACES_LOCAL_PORT/);
    assert.equal(started.length, 0);
  });
});

describe('Connection state', () => {
  beforeEach(async () => {
    await provider().resolveDebugConfiguration(workspaceFolder() as never, {
      name: 'api',
      type: 'node',
      request: 'launch',
      env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' },
    });
    recorded.messages.length = 0;
  });

  it('A_Dropped_Tunnel_Shows_Reconnecting_Until_The_Daemon_Reconnects', () => {
    harness.daemon.notify(rpc.ConnectEvent.type, event('tunnelLost', 'The tunnel dropped.'));
    assert.equal(connectItem().text, '$(sync~spin) api → localhost:5000 (reconnecting)');
    assert.ok(connectItem().backgroundColor, 'the item is highlighted');
    assert.match(recorded.messages[0]?.text ?? '', /The tunnel of 'api' dropped; reconnecting/);
    harness.daemon.notify(rpc.ConnectEvent.type, event('reconnected'));
    assert.equal(connectItem().text, '$(plug) api → localhost:5000');
    assert.equal(connectItem().backgroundColor, undefined);
  });

  it('A_Session_The_Agent_Restored_On_Its_Own_Clears_The_Status_Bar_And_Is_Announced', () => {
    harness.daemon.notify(rpc.ConnectEvent.type, event('restored', 'The agent restored deployment api: no heartbeat.'));
    assert.equal(connectItem().visible, false);
    const warning = recorded.messages.find((m) => m.severity === 'warning');
    assert.match(warning?.text ?? '', /^'api' is no longer connected; the cluster serves it itself again\. The agent restored deployment api: no heartbeat\.$/);
    assert.deepEqual(warning?.actions, ['Connect Again', 'Open Log']);
    assert.equal(fs.existsSync(path.join(folder, '.devspaces', 'connect-api.env')), false, 'the environment (maybe secrets) goes with the session');
  });

  it('A_Daemon_That_Stops_Ends_The_Connection_Visibly', () => {
    harness.daemon.setState({ kind: 'starting', attempt: 2 });
    assert.equal(connectItem().visible, false);
    assert.match(recorded.messages.find((m) => m.severity === 'warning')?.text ?? '', /'api' is no longer connected.*daemon stopped/);
  });

  it('Disconnect_Restores_The_Service_Without_A_Warning', async () => {
    harness.daemon.handle(rpc.StopConnect.type, () => {
      // The daemon reports the restore before it answers.
      harness.daemon.notify(rpc.ConnectEvent.type, event('restored', 'Restored deployment api.'));
      return null;
    });
    assert.ok(fs.existsSync(path.join(folder, '.devspaces', 'connect-api.env')), 'the env file is there while connected');
    await harness.run(ConnectCommandIds.disconnect);
    assert.deepEqual(harness.daemon.sentTo(rpc.StopConnect.method), [{ session: 'sess-1' }]);
    assert.equal(fs.existsSync(path.join(folder, '.devspaces', 'connect-api.env')), false, 'Disconnect deletes the env file (it may hold secrets)');
    assert.equal(connectItem().visible, false);
    assert.deepEqual(recorded.messages, [], 'a disconnect the user asked for is not announced as a loss');
    assert.match(recorded.statusBarMessages.at(-1) ?? '', /'api' restored in the cluster/);
  });

  it('Connect_Events_Are_Not_Logged_Again_As_The_Daemon_Logs_Them_Itself', () => {
    harness.daemon.notify(rpc.ConnectEvent.type, event('progress', 'Agent pod api-agent-1 is ready.'));
    assert.deepEqual(harness.log.lines.filter((line) => line.includes('Agent pod api-agent-1 is ready.')), []);
  });

  it('A_Warning_Of_The_Session_Is_Shown_With_The_Service_Name', () => {
    harness.daemon.notify(rpc.ConnectEvent.type, event('warning', "Mount /cache (emptyDir 'cache') is not copied: only its files in the pod have it."));
    assert.deepEqual(recorded.messages.map((m) => [m.severity, m.text]), [
      ['warning', "'api': Mount /cache (emptyDir 'cache') is not copied: only its files in the pod have it."],
    ]);
  });

  it('Nothing_Listening_Locally_Is_Announced_Once_Per_Session', () => {
    const notListening = event('localPortNotListening', 'A request found nothing listening on localhost:5000; it got a 502.');
    harness.daemon.notify(rpc.ConnectEvent.type, notListening);
    harness.daemon.notify(rpc.ConnectEvent.type, notListening);
    assert.deepEqual(recorded.messages.map((m) => m.text), ['A request found nothing listening on localhost:5000; it got a 502.']);
  });

  it('The_Status_Bar_Menu_Offers_Disconnect_Environment_And_Log_And_Opens_The_Env_File', async () => {
    assert.equal(connectItem().command, 'devspaces.connectionMenu');
    recorded.user.quickPick.push(pickLabelContaining('Show Environment'));
    await harness.run('devspaces.connectionMenu');
    assert.deepEqual(
      recorded.quickPicks[0]?.items.filter((i) => i.label !== '').map((i) => i.label),
      ['$(debug-disconnect) Disconnect', '$(file) Show Environment', '$(output) Open Log'],
    );
    assert.deepEqual(recorded.shownDocuments, [path.join(folder, '.devspaces', 'connect-api.env')]);

    recorded.user.quickPick.push(pickLabelContaining('Disconnect'));
    await harness.run('devspaces.connectionMenu');
    assert.deepEqual(harness.daemon.sentTo(rpc.StopConnect.method), [{ session: 'sess-1' }]);
    assert.equal(connectItem().visible, false);
  });
});
