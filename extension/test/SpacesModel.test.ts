import './support/fakeVscode';
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as rpc from '../src/protocol/methods';
import { SpacesModel } from '../src/state/SpacesModel';
import { SpaceTree } from '../src/protocol/types';
import { FakeDaemonClient } from './support/FakeDaemonClient';
import { FakeLogChannel } from './support/fakeVscode';
import { connected, selection, space, teamTree } from './support/spaceFixtures';
import { waitFor } from './support/waitFor';

function modelWith(daemon: FakeDaemonClient): SpacesModel {
  daemon.handle(rpc.CurrentSpace.type, () => selection('team'));
  daemon.handle(rpc.ContextStatus.type, () => connected());
  daemon.handle(rpc.ListSpaces.type, () => teamTree('team'));
  return new SpacesModel(daemon, new FakeLogChannel('test'));
}

describe('SpacesModel', () => {
  it('Reads_Selection_Connection_And_Spaces_Each_Time_The_Daemon_Starts', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    daemon.setState({ kind: 'running', version: '1', pid: 1 });
    await waitFor(() => model.snapshot.tree !== undefined && model.snapshot.selection !== undefined, 'the first catch-up');
    assert.equal(model.snapshot.selection?.space, 'team');
    assert.equal(model.snapshot.connection?.state, 'connected');
    daemon.setState({ kind: 'restarting', reason: 'crashed', delayMs: 500, attempt: 1 });
    assert.equal(model.snapshot.connection, undefined, 'a dead daemon\'s connection report is dropped');
    daemon.setState({ kind: 'running', version: '1', pid: 2 });
    await waitFor(() => daemon.sentTo('space/current').length === 2, 'a second catch-up after the restart');
    model.dispose();
  });

  it('A_Space_Added_Outside_DevSpaces_Reloads_The_Tree', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    daemon.setState({ kind: 'running', version: '1', pid: 1 });
    await waitFor(() => model.snapshot.tree !== undefined, 'the first tree');
    const withNew: SpaceTree = { ...teamTree('team'), roots: [...teamTree('team').roots, space('made-by-kubectl', null)] };
    daemon.handle(rpc.ListSpaces.type, () => withNew);
    daemon.notify(rpc.SpaceChanged.type, { kind: 'added', name: 'made-by-kubectl', parent: null, phase: 'Active' });
    await waitFor(() => model.snapshot.tree?.roots.some((r) => r.name === 'made-by-kubectl') === true, 'the new space in the tree');
    model.dispose();
  });

  it('A_Burst_Of_Space_Changes_Reloads_At_Most_Twice', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    daemon.handle(rpc.ListSpaces.type, async () => {
      await gate;
      return teamTree('team');
    });
    const first = model.reloadTree();
    for (let i = 0; i < 10; i++) {
      daemon.notify(rpc.SpaceChanged.type, { kind: 'added', name: `s${i}`, parent: null, phase: 'Active' });
    }
    release();
    await first;
    assert.equal(daemon.sentTo('space/list').length, 2, 'one load in flight plus one catching up with the burst');
    model.dispose();
  });

  it('A_Selection_Notification_Marks_The_Selected_Space_In_The_Tree', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    await model.reloadTree();
    daemon.notify(rpc.SelectionChanged.type, selection('team-alice-feature'));
    const selected = JSON.stringify(model.snapshot.tree).match(/"name":"[^"]+","parent":[^,]+,"phase":"Active","isSelected":true/g);
    assert.deepEqual(selected, ['"name":"team-alice-feature","parent":"team-alice","phase":"Active","isSelected":true']);
    assert.equal(model.snapshot.tree?.selected, 'team-alice-feature');
    model.dispose();
  });

  it('A_Failed_Space_List_Is_Kept_As_The_Error_And_Retried_On_The_Next_Request', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    daemon.handle(rpc.ListSpaces.type, () => {
      throw new Error('Forbidden: cannot list namespaces');
    });
    await assert.rejects(model.spaces(), /Forbidden: cannot list namespaces/);
    daemon.handle(rpc.ListSpaces.type, () => teamTree());
    assert.equal((await model.spaces()).roots.length, 2);
    assert.equal(model.snapshot.treeError, undefined);
    model.dispose();
  });
});

describe('SpacesModel when the cluster fails', () => {
  it('A_Failed_Connection_Drops_The_Stale_Tree_And_Says_Why', async () => {
    const daemon = new FakeDaemonClient();
    const model = modelWith(daemon);
    await model.reloadTree();
    assert.ok(model.snapshot.tree);
    daemon.notify(rpc.ConnectionStatusChanged.type, {
      state: 'failed',
      context: 'other',
      server: 'https://127.0.0.1:1',
      serverVersion: null,
      error: { code: 1004, message: 'Cannot reach the API server https://127.0.0.1:1.', hint: 'Start it.', detail: null },
    });
    assert.equal(model.snapshot.tree, undefined);
    assert.equal(model.snapshot.treeError?.message, 'Cannot reach the API server https://127.0.0.1:1.');
    model.dispose();
  });
});
