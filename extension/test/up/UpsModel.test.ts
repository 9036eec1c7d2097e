import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as rpc from '../../src/protocol/methods';
import { UpEventInfo, UpInfo } from '../../src/protocol/types';
import { serviceFolderOf } from '../../src/up/serviceFolders';
import { nextActivity, outputLine, UpsModel } from '../../src/up/UpsModel';
import { statusParts } from '../../src/up/upStatusParts';
import { FakeDaemonClient } from '../support/FakeDaemonClient';

const info: UpInfo = {
  id: 'dev/web',
  service: 'web',
  space: 'dev',
  folder: '/src/web',
  url: 'http://127.0.0.1:40123/',
  image: 'web:ds-1',
  pod: 'web-1',
  watching: true,
  debug: null,
};

const event = (kind: UpEventInfo['kind'], message = `${kind} happened`, durationMs: number | null = null): UpEventInfo => ({
  id: 'dev/web',
  service: 'web',
  kind,
  message,
  durationMs,
  time: '2026-11-29T22:00:00.0000000Z',
});

function setUp(): { daemon: FakeDaemonClient; model: UpsModel } {
  const daemon = new FakeDaemonClient();
  daemon.handle(rpc.StartUp.type, () => info);
  daemon.handle(rpc.StopUp.type, () => null);
  daemon.handle(rpc.Down.type, () => ({ service: 'web', space: 'dev', actions: ['deleted Deployment/web'] }));
  return { daemon, model: new UpsModel(daemon) };
}

describe('Run in cluster model', () => {
  it('A_Started_Service_Is_Listed_And_Down_Asks_The_Daemon_And_Unlists_It', async () => {
    const { daemon, model } = setUp();
    await model.start({ folder: '/src/web', space: null, watch: true, buildArgs: ['NODE_IMAGE=local/node'] }, 'web');
    assert.deepEqual(model.active.map((u) => u.id), ['dev/web']);
    assert.deepEqual(daemon.sentTo(rpc.StartUp.method), [{ folder: '/src/web', space: null, watch: true, buildArgs: ['NODE_IMAGE=local/node'] }]);
    const result = await model.down('/src/web', 'dev');
    assert.deepEqual(result.actions, ['deleted Deployment/web']);
    assert.equal(model.active.length, 0);
  });

  it('A_Failed_Build_Shows_Until_The_Next_Successful_Change', async () => {
    const { daemon, model } = setUp();
    await model.start({ folder: '/src/web' }, 'web');
    daemon.notify(rpc.UpEvent.type, event('step', 'Dockerfile changed: rebuilding the image and redeploying'));
    assert.equal(model.activityOf('dev/web'), 'rebuilding');
    daemon.notify(rpc.UpEvent.type, event('buildFailed', 'The build failed'));
    assert.equal(model.activityOf('dev/web'), 'failed');
    daemon.notify(rpc.UpEvent.type, event('log', 'still serving'));
    assert.equal(model.activityOf('dev/web'), 'failed', 'a log line does not clear the failure');
    daemon.notify(rpc.UpEvent.type, event('redeployed', 'Redeployed web with web:ds-2 (pod web-2)'));
    assert.equal(model.activityOf('dev/web'), 'running');
    assert.equal(model.active[0].pod, 'web-2', 'the pod follows the redeploy');
  });

  it('A_Stopped_Event_Unlists_The_Service_And_Every_Event_Reaches_The_Output', async () => {
    const { daemon, model } = setUp();
    const lines: string[] = [];
    model.onDidOutput((e) => lines.push(outputLine(e)));
    await model.start({ folder: '/src/web' }, 'web');
    daemon.notify(rpc.UpEvent.type, event('log', 'GET / 200'));
    daemon.notify(rpc.UpEvent.type, event('restarted', 'Restarted the app (pid 42) because server.js changed', 312));
    daemon.notify(rpc.UpEvent.type, event('stopped', 'Stopped watching web'));
    assert.equal(model.active.length, 0);
    assert.deepEqual(lines, ['GET / 200', '[devspaces] Restarted the app (pid 42) because server.js changed (312 ms)', '[devspaces] Stopped watching web']);
  });

  it('Output_Lines_Mark_Builds_And_Warnings_And_Show_Seconds_For_Long_Steps', () => {
    assert.equal(outputLine(event('build', 'Step 1/9 : FROM node')), '[build] Step 1/9 : FROM node');
    assert.equal(outputLine(event('warning', 'big.bin is over 64 MB')), '[warning] big.bin is over 64 MB');
    assert.equal(outputLine(event('redeployed', 'Redeployed', 5300)), '[devspaces] Redeployed (5.3 s)');
  });

  it('The_Status_Bar_Lists_Starting_And_Running_Services_In_Name_Order', () => {
    const parts = statusParts({ active: [info], pending: ['api'], activityOf: () => 'running' });
    assert.deepEqual(parts.map((p) => `${p.service}:${p.activity}`), ['api:starting', 'web:running']);
    assert.match(parts[1].tooltip, /http:\/\/127\.0\.0\.1:40123\//);
  });

  it('A_Step_Without_A_Rebuild_Keeps_The_Current_Activity', () => {
    assert.equal(nextActivity('failed', event('step', 'Build step done')), 'failed');
    assert.equal(nextActivity('running', event('synced')), 'running');
  });

  it('The_Service_Folder_Is_The_Nearest_With_Devspaces_Yaml_Inside_The_Workspace', () => {
    const root = path.join(path.sep, 'work', 'app');
    const exists = (p: string) => p === path.join(root, 'services', 'web', 'devspaces.yaml') || p === path.join(path.sep, 'work', 'devspaces.yaml');
    assert.equal(serviceFolderOf(path.join(root, 'services', 'web', 'src', 'server.js'), [root], exists), path.join(root, 'services', 'web'));
    assert.equal(serviceFolderOf(path.join(root, 'docs', 'a.md'), [root], exists), undefined, 'never above the workspace folder');
    assert.equal(serviceFolderOf(path.join(path.sep, 'elsewhere', 'x.js'), [root], exists), undefined);
  });
});
