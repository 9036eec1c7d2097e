import { recorded } from './support/fakeVscode';
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as rpc from '../src/protocol/methods';
import { Harness, createHarness, statusItem } from './support/harness';
import { connected, selection } from './support/spaceFixtures';
import { waitFor } from './support/waitFor';

let harness: Harness;
beforeEach(() => (harness = createHarness()));
afterEach(() => harness.dispose());

const running = { kind: 'running', version: '0.1.0', pid: 42 } as const;

describe('Status bar', () => {
  it('Shows_Starting_Until_The_Daemon_Runs_Then_The_Selected_Space_With_Context_On_Hover', async () => {
    assert.equal(statusItem().text, '$(sync~spin) DevSpaces: starting');
    assert.equal(statusItem().visible, true);
    assert.equal(statusItem().command, 'devspaces.showSpaceMenu');
    harness.daemon.setState(running);
    await waitFor(() => statusItem().text === '$(cloud) team', 'the status bar to show the selected space');
    assert.equal(statusItem().accessibilityInformation?.label, 'DevSpaces: team');
    assert.match(statusItem().tooltip ?? '', /Context: test-cluster/);
    assert.match(statusItem().tooltip ?? '', /Kubernetes v1\.20\.2/);
  });

  it('Follows_Selection_Notifications_From_The_Daemon', async () => {
    harness.daemon.setState(running);
    await waitFor(() => statusItem().text === '$(cloud) team', 'the initial space');
    harness.daemon.notify(rpc.SelectionChanged.type, selection('team-bob'));
    assert.equal(statusItem().text, '$(cloud) team-bob');
    harness.daemon.notify(rpc.SelectionChanged.type, { ...selection(null), reason: 'the space was deleted' });
    assert.equal(statusItem().text, '$(cloud) no space');
  });

  it('Shows_Connecting_And_Failed_Connections_With_The_Daemon_Hint', async () => {
    harness.daemon.setState(running);
    await waitFor(() => statusItem().text === '$(cloud) team', 'the initial space');
    harness.daemon.notify(rpc.ConnectionStatusChanged.type, { ...connected('other'), state: 'connecting', serverVersion: null });
    assert.equal(statusItem().text, '$(sync~spin) team');
    assert.match(statusItem().tooltip ?? '', /Connecting to the cluster/);
    harness.daemon.notify(rpc.ConnectionStatusChanged.type, {
      state: 'failed',
      context: 'other',
      server: 'https://127.0.0.1:1',
      serverVersion: null,
      error: { code: 1004, message: 'The API server https://127.0.0.1:1 is unreachable.', hint: 'Check that the cluster is running.', detail: 'Connection refused' },
    });
    assert.equal(statusItem().text, '$(error) team');
    assert.equal(statusItem().accessibilityInformation?.label, 'DevSpaces: team (cluster error)');
    assert.match(statusItem().tooltip ?? '', /unreachable\.\nCheck that the cluster is running\.\nConnection refused/);
    assert.equal(statusItem().backgroundColor?.id, 'statusBarItem.errorBackground');
  });

  it('Says_When_The_Daemon_Restarts_And_When_It_Cannot_Start', () => {
    harness.daemon.setState({ kind: 'restarting', reason: 'The DevSpaces daemon exited with code 134', delayMs: 2000, attempt: 2 });
    assert.equal(statusItem().text, '$(sync~spin) DevSpaces: restarting in 2 s');
    assert.match(statusItem().tooltip ?? '', /exited with code 134/);
    harness.daemon.setState({ kind: 'unavailable', reason: 'The DevSpaces daemon was not found.', hint: 'Build it.' });
    assert.equal(statusItem().text, '$(error) DevSpaces');
    assert.equal(statusItem().tooltip, 'The DevSpaces daemon was not found.\nBuild it.');
  });

  it('Selecting_A_Space_Does_Not_Change_The_Status_Bar_Until_The_Daemon_Reports_It', async () => {
    harness.daemon.setState(running);
    await waitFor(() => statusItem().text === '$(cloud) team', 'the initial space');
    harness.daemon.handle(rpc.SelectSpace.type, ({ name }) => selection(name));
    recorded.user.quickPick.push((items) => items.find((i) => i.label.endsWith(' team-alice')));
    await harness.run('devspaces.selectSpace');
    assert.deepEqual(harness.daemon.sentTo('space/select'), [{ name: 'team-alice' }]);
    assert.equal(statusItem().text, '$(cloud) team', 'a command does not poke the status bar');
    harness.daemon.notify(rpc.SelectionChanged.type, selection('team-alice'));
    assert.equal(statusItem().text, '$(cloud) team-alice');
  });
});
