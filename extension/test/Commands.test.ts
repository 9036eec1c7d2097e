import { recorded } from './support/fakeVscode';
import { devSpacesDebugType } from '../src/debug/attachConfiguration';
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { validateSpaceName } from '../src/commands/createChildSpace';
import { connectDebugTypes } from '../src/connect/launchConfiguration';
import { DaemonUnavailableError } from '../src/daemon/DaemonErrors';
import { ErrorCodes } from '../src/protocol/errors';
import * as rpc from '../src/protocol/methods';
import { spaceMenuItems } from '../src/ui/spacePickItems';
import { Harness, createHarness } from './support/harness';
import { selection, space, teamTree } from './support/spaceFixtures';

let harness: Harness;
beforeEach(() => {
  harness = createHarness();
  harness.daemon.setState({ kind: 'running', version: '0.1.0', pid: 42 });
});
afterEach(() => harness.dispose());

const pickLabelEnding = (suffix: string) => (items: { label: string }[]) => items.find((i) => i.label.endsWith(suffix));

describe('Status-bar space menu', () => {
  it('Shows_The_Space_Tree_Indented_By_Depth_Then_The_Actions', () => {
    const labels = spaceMenuItems(teamTree('team-bob')).map((item) => item.label);
    const indent = '\u00a0\u00a0\u00a0\u00a0';
    assert.deepEqual(labels, [
      '$(cloud) other',
      '$(cloud) team',
      `${indent}$(cloud) team-alice`,
      `${indent}${indent}$(cloud) team-alice-feature`,
      `${indent}$(check) team-bob`,
      'Actions',
      '$(add) Create child space…',
      '$(server-environment) Select cluster context…',
    ]);
  });

  it('Shows_Each_Routed_Spaces_Url_And_Offers_To_Copy_The_Selected_Ones', () => {
    const url = 'http://team-bob.s.team.localhost:30080/';
    const tree = teamTree('team-bob');
    const withUrls = { ...tree, roots: tree.roots.map((root) => (root.name === 'team' ? { ...root, children: root.children.map((c) => ({ ...c, url: `http://${c.name}.s.team.localhost:30080/` })) } : root)) };
    const items = spaceMenuItems(withUrls);
    assert.equal(items.find((item) => item.label.endsWith(' team-bob'))?.description, `selected · ${url}`);
    const copy = items.find((item) => item.action === 'copyUrl');
    assert.equal(copy?.label, '$(copy) Copy URL of team-bob');
    assert.equal(copy?.description, url);
    assert.ok(!spaceMenuItems(teamTree('team-bob')).some((item) => item.action === 'copyUrl'), 'no copy action without a URL');
  });

  it('Copy_Url_In_The_Menu_Puts_The_Selected_Spaces_Url_On_The_Clipboard', async () => {
    const url = 'http://team.s.team.localhost:30080/';
    const tree = teamTree('team');
    harness.daemon.handle(rpc.ListSpaces.type, () => ({ ...tree, roots: tree.roots.map((root) => (root.name === 'team' ? { ...root, url } : root)) }));
    recorded.user.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === '$(copy) Copy URL of team'));
    await harness.run('devspaces.showSpaceMenu');
    assert.deepEqual(recorded.clipboard, [url]);
    assert.deepEqual(harness.daemon.sentTo('space/select'), []);
  });

  it('Open_Url_In_The_Menu_Opens_The_Selected_Spaces_Url_In_The_Browser', async () => {
    const url = 'http://team.s.team.localhost:30080/';
    const tree = teamTree('team');
    harness.daemon.handle(rpc.ListSpaces.type, () => ({ ...tree, roots: tree.roots.map((root) => (root.name === 'team' ? { ...root, url } : root)) }));
    recorded.user.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === '$(link-external) Open URL of team'));
    await harness.run('devspaces.showSpaceMenu');
    assert.deepEqual(recorded.openedExternally, [url]);
    assert.deepEqual(recorded.clipboard, []);
  });

  it('Open_Space_Url_On_A_View_Row_Opens_That_Spaces_Url_And_One_Without_Says_How_To_Get_One', async () => {
    const url = 'http://team-bob.s.team.localhost:30080/';
    const bob = { ...space('team-bob', 'team'), url };
    await harness.run('devspaces.openSpaceUrl', { kind: 'space', space: bob });
    assert.deepEqual(recorded.openedExternally, [url]);
    await harness.run('devspaces.openSpaceUrl', { kind: 'space', space: space('other', null) });
    assert.deepEqual(recorded.openedExternally, [url], 'nothing is opened for a space without a URL');
    assert.match(recorded.messages.at(-1)?.text ?? '', /'other' has no URL: routing is not enabled on its root space\. Enable it with 'devspaces routing enable --space <root>'/);
  });

  it('A_Space_Row_With_A_Url_Offers_Open_And_Copy_And_One_Without_Does_Not', async () => {
    const tree = teamTree('team');
    harness.daemon.handle(rpc.ListSpaces.type, () => ({ ...tree, roots: tree.roots.map((root) => (root.name === 'team' ? { ...root, url: 'http://team.s.team.localhost:30080/' } : root)) }));
    await harness.model.reloadTree();
    const contextValues = (await harness.tree.getChildren()).map((node) => harness.tree.getTreeItem(node).contextValue);
    assert.deepEqual(contextValues, ['devspaces.space', 'devspaces.space.selected.url']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../../package.json') as { contributes: { menus: Record<string, { command: string; when: string }[]> } };
    const shownFor = (command: string, viewItem: string) =>
      manifest.contributes.menus['view/item/context'].some((m) => m.command === command && new RegExp(/viewItem =~ \/(.*)\/$/.exec(m.when)?.[1] ?? '^$').test(viewItem));
    assert.ok(shownFor('devspaces.openSpaceUrl', 'devspaces.space.selected.url') && shownFor('devspaces.openSpaceUrl', 'devspaces.space.url'));
    assert.ok(shownFor('devspaces.copySpaceUrl', 'devspaces.space.url'));
    assert.ok(!shownFor('devspaces.openSpaceUrl', 'devspaces.space') && !shownFor('devspaces.copySpaceUrl', 'devspaces.space.selected'));
    assert.ok(shownFor('devspaces.selectSpace', 'devspaces.space.url') && !shownFor('devspaces.selectSpace', 'devspaces.space.selected.url'));
  });

  it('A_Space_Being_Deleted_Is_Not_Offered', () => {
    const tree = teamTree('team');
    const terminating = { ...tree, roots: tree.roots.map((root) => (root.name === 'other' ? { ...root, phase: 'Terminating' } : root)) };
    const labels = spaceMenuItems(terminating).map((item) => item.label.trim());
    assert.ok(!labels.some((label) => label.endsWith(' other')), `no row for the Terminating space: ${labels.join(', ')}`);
    assert.ok(labels.includes('$(check) team'));
  });

  it('Switching_Through_The_Menu_Selects_The_Space_In_The_Daemon', async () => {
    harness.daemon.handle(rpc.SelectSpace.type, ({ name }) => selection(name));
    recorded.user.quickPick.push(pickLabelEnding(' team-alice-feature'));
    await harness.run('devspaces.showSpaceMenu');
    assert.deepEqual(harness.daemon.sentTo('space/select'), [{ name: 'team-alice-feature' }]);
    assert.equal(recorded.messages.length, 0, recorded.messages.map((m) => m.text).join('\n'));
  });

  it('An_Unreachable_Cluster_Still_Offers_Select_Cluster_Context_In_The_Menu', async () => {
    harness.daemon.handle(rpc.ListSpaces.type, () => {
      throw new ResponseError(ErrorCodes.ClusterUnreachable, 'Cannot reach the API server https://127.0.0.1:1.', {
        hint: 'Start the cluster or choose another context.',
        detail: null,
      });
    });
    harness.daemon.handle(rpc.ListContexts.type, () => ({ contexts: [], current: null, kubeconfigFiles: ['/k'] }));
    recorded.user.quickPick.push(pickLabelEnding('Select cluster context…'));
    await harness.run('devspaces.showSpaceMenu');
    const labels = recorded.quickPicks[0]?.items.map((item) => item.label);
    assert.equal(labels?.[0], '$(error) Cannot reach the API server https://127.0.0.1:1.');
    assert.equal(recorded.quickPicks[0]?.items[0]?.description, 'Start the cluster or choose another context.');
    assert.deepEqual(harness.daemon.sentTo('context/list'), [{}], 'the context action runs');
  });

  it('Create_Child_Space_From_The_Menu_Asks_For_Parent_And_Name', async () => {
    harness.daemon.handle(rpc.CreateSpace.type, ({ name, parent }) => ({ name, parent, namespaceCreated: true }));
    recorded.user.quickPick.push(pickLabelEnding('Create child space…'), pickLabelEnding(' team-bob'));
    recorded.user.inputBox.push('team-bob-fix');
    await harness.run('devspaces.showSpaceMenu');
    assert.deepEqual(harness.daemon.sentTo('space/create'), [{ name: 'team-bob-fix', parent: 'team-bob' }]);
    assert.equal(recorded.inputBoxes[0]?.options.value, 'team-bob-', 'the name starts with the parent as prefix');
    assert.match(recorded.messages[0]?.text ?? '', /Created space 'team-bob-fix' as a child of 'team-bob'/);
  });
});

describe('Palette commands', () => {
  it('Create_Child_Space_Validates_Names_As_DNS_1123_Labels', () => {
    assert.equal(validateSpaceName('team-alice-2'), undefined);
    assert.match(validateSpaceName('Team_Alice') ?? '', /lower-case letters, digits and "-"/);
    assert.match(validateSpaceName('-dash') ?? '', /DNS-1123/);
    assert.match(validateSpaceName('a'.repeat(64)) ?? '', /at most 63 characters \(this one has 64\)/);
    assert.match(validateSpaceName('') ?? '', /Enter a name/);
  });

  it('Create_Child_Space_From_The_View_Uses_The_Clicked_Space_As_Parent', async () => {
    harness.daemon.handle(rpc.CreateSpace.type, ({ name, parent }) => ({ name, parent, namespaceCreated: true }));
    harness.daemon.handle(rpc.SelectSpace.type, ({ name }) => selection(name));
    recorded.user.inputBox.push('team-x');
    recorded.user.messageAnswers.push('Select It');
    const node = { kind: 'space', space: teamTree().roots[1] };
    await harness.run('devspaces.createChildSpace', node);
    assert.equal(recorded.quickPicks.length, 0, 'no parent is asked for');
    assert.deepEqual(harness.daemon.sentTo('space/create'), [{ name: 'team-x', parent: 'team' }]);
    assert.deepEqual(harness.daemon.sentTo('space/select'), [{ name: 'team-x' }]);
  });

  it('A_Daemon_Error_Is_Shown_With_Its_Message_And_Fix_Hint', async () => {
    harness.daemon.handle(rpc.CreateSpace.type, () => {
      throw new ResponseError(ErrorCodes.SpaceAlreadyExists, "A namespace named 'team-bob' already exists.", {
        hint: 'Choose another name, or select the existing space.',
        detail: null,
      });
    });
    recorded.user.quickPick.push(pickLabelEnding(' team'));
    recorded.user.inputBox.push('team-bob');
    await harness.run('devspaces.createChildSpace');
    const shown = recorded.messages.find((m) => m.severity === 'error');
    assert.equal(
      shown?.text,
      "Could not create the child space: A namespace named 'team-bob' already exists. Choose another name, or select the existing space.",
    );
    assert.deepEqual(shown?.actions, ['Show Output']);
  });

  it('A_Request_The_User_Cancelled_Shows_No_Error', async () => {
    harness.daemon.handle(rpc.SelectSpace.type, () => {
      throw new ResponseError(-32800, 'Request cancelled');
    });
    recorded.user.quickPick.push(pickLabelEnding(' other'));
    await harness.run('devspaces.selectSpace');
    assert.deepEqual(harness.daemon.sentTo('space/select'), [{ name: 'other' }]);
    assert.deepEqual(recorded.messages, []);
  });

  it('A_Daemon_That_Died_Mid_Request_Offers_To_Restart_It', async () => {
    harness.daemon.handle(rpc.SelectSpace.type, () => {
      throw new DaemonUnavailableError('The DevSpaces daemon exited with code 134 while handling this request.', 'It is restarted automatically.');
    });
    recorded.user.quickPick.push(pickLabelEnding(' other'));
    recorded.user.messageAnswers.push('Restart Daemon');
    await harness.run('devspaces.selectSpace');
    const shown = recorded.messages.find((m) => m.severity === 'error');
    assert.match(shown?.text ?? '', /exited with code 134 while handling this request\. It is restarted automatically\./);
    assert.deepEqual(shown?.actions, ['Restart Daemon', 'Show Output']);
    assert.ok(recorded.executed.includes('devspaces.restartDaemon'), 'the button runs Restart Daemon');
  });

  it('Deleting_A_Space_With_Children_Asks_To_Delete_The_Subtree', async () => {
    harness.daemon.handle(rpc.DeleteSpace.type, () => ({
      deleted: ['team-alice-feature', 'team-alice'],
      selectionCleared: false,
      message: 'Deleted 2 spaces.',
    }));
    recorded.user.quickPick.push(pickLabelEnding(' team-alice'));
    recorded.user.messageAnswers.push('Delete All');
    await harness.run('devspaces.deleteSpace');
    const question = recorded.messages[0];
    assert.equal(question?.modal, true);
    assert.match(question?.text ?? '', /'team-alice' and its 1 descendant space\(s\) \(team-alice-feature\)/);
    assert.deepEqual(harness.daemon.sentTo('space/delete'), [{ name: 'team-alice', recursive: true }]);
    assert.equal(recorded.messages[1]?.text, 'Deleted 2 spaces.');
  });

  it('Deleting_Is_Not_Sent_When_The_User_Does_Not_Confirm', async () => {
    recorded.user.quickPick.push(pickLabelEnding(' team'));
    await harness.run('devspaces.deleteSpace');
    assert.match(recorded.messages[0]?.text ?? '', /It is the selected space; the selection will be cleared/);
    assert.deepEqual(harness.daemon.sentTo('space/delete'), []);
  });

  it('Select_Cluster_Context_Reports_An_Unreachable_Cluster_With_The_Hint', async () => {
    harness.daemon.handle(rpc.ListContexts.type, () => ({
      contexts: [
        { name: 'test-cluster', cluster: 'c', user: 'u', namespace: null, server: 'https://10.0.0.1:6443', isCurrent: true },
        { name: 'broken', cluster: 'b', user: 'u', namespace: null, server: 'https://127.0.0.1:1', isCurrent: false },
      ],
      current: 'test-cluster',
      kubeconfigFiles: ['/home/me/.kube/config'],
    }));
    harness.daemon.handle(rpc.UseContext.type, ({ name }) => ({
      state: 'failed' as const,
      context: name,
      server: 'https://127.0.0.1:1',
      serverVersion: null,
      error: { code: ErrorCodes.ClusterUnreachable, message: 'Cannot reach https://127.0.0.1:1.', hint: 'Start the cluster or pick another context.', detail: null },
    }));
    recorded.user.quickPick.push(pickLabelEnding(' broken'));
    await harness.run('devspaces.selectContext');
    assert.match(recorded.quickPicks[0]?.items[0]?.label ?? '', /^\$\(check\) test-cluster$/);
    assert.deepEqual(harness.daemon.sentTo('context/use'), [{ name: 'broken' }]);
    assert.equal(
      recorded.messages[0]?.text,
      "Context 'broken' is selected, but its cluster is not usable: Cannot reach https://127.0.0.1:1. Start the cluster or pick another context.",
    );
  });

  it('Registers_Every_Command_The_Manifest_Contributes', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../../package.json') as {
      contributes: { commands: { command: string; category: string }[] };
      activationEvents: string[];
    };
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, [...recorded.commands.keys()].sort());
    assert.ok(manifest.contributes.commands.every((c) => c.category === 'DevSpaces'));
  });

  it('Activates_In_Any_Folder_After_Start_Up_And_On_Our_Debug_Types_Only', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const manifest = require('../../../package.json') as {
      activationEvents: string[];
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    assert.ok(manifest.activationEvents.includes('onStartupFinished'), 'the status-bar item shows in any folder');
    assert.ok(!manifest.activationEvents.includes('*') && !manifest.activationEvents.includes('onDebug'), 'never on * or on any F5');
    const debugTypes = manifest.activationEvents.filter((e) => e.startsWith('onDebugResolve:')).map((e) => e.slice('onDebugResolve:'.length));
    assert.deepEqual(debugTypes, [...connectDebugTypes, devSpacesDebugType]);
    assert.deepEqual([...recorded.debugProviders.keys()].sort(), [...connectDebugTypes, devSpacesDebugType].sort(), 'the F5 hooks are registered for those types only');
    const scope = manifest.contributes.configuration.properties['devspaces.daemonPath']?.scope;
    assert.equal(scope, 'window', 'machine and machine-overridable settings show only under Remote in a remote window');
  });
});

describe('Dev Spaces view', () => {
  it('Lists_Spaces_Then_Child_Spaces_And_Services_With_Ports', async () => {
    harness.daemon.handle(rpc.ListServices.type, ({ space }) => ({
      space: space ?? '',
      services: [
        {
          name: 'web',
          type: 'ClusterIP',
          clusterIP: '10.0.0.9',
          ports: [
            { name: 'http', port: 80, targetPort: '8080', protocol: 'TCP', nodePort: null, containerPort: 8080 },
            { name: null, port: 9090, targetPort: null, protocol: 'TCP', nodePort: null, containerPort: 9090 },
          ],
        },
      ],
    }));
    const roots = await harness.tree.getChildren();
    assert.deepEqual(roots.map((node) => harness.tree.getTreeItem(node).label), ['other', 'team']);
    const team = roots[1];
    assert.equal(harness.tree.getTreeItem(team).description, 'selected');
    const children = await harness.tree.getChildren(team);
    const items = children.map((node) => harness.tree.getTreeItem(node));
    assert.deepEqual(items.map((item) => item.label), ['team-alice', 'team-bob', 'web']);
    assert.equal(items[2]?.description, '80/TCP (http), 9090/TCP');
  });

  it('An_Empty_Child_Space_Shows_What_It_Inherits_Dimmed_With_Where_It_Comes_From', async () => {
    const service = (name: string) => ({ name, type: 'ClusterIP', clusterIP: null, ports: [] });
    const bySpace: Record<string, string[]> = { team: ['api', 'web'], 'team-alice': ['api'], 'team-alice-feature': [] };
    harness.daemon.handle(rpc.ListServices.type, ({ space }) => ({ space: space ?? '', services: (bySpace[space ?? ''] ?? []).map(service) }));
    const team = (await harness.tree.getChildren())[1];
    const alice = (await harness.tree.getChildren(team))[0];
    const feature = (await harness.tree.getChildren(alice))[0];
    const items = (await harness.tree.getChildren(feature)).map((node) => harness.tree.getTreeItem(node));
    assert.deepEqual(
      items.map((item) => [item.label, item.description, item.contextValue]),
      [
        ['api', 'from team-alice', 'devspaces.inheritedService'],
        ['web', 'from team', 'devspaces.inheritedService'],
      ],
      'the nearest ancestor wins, as routing falls back child → parent → root',
    );
    assert.equal((items[0]?.iconPath as { color?: { id: string } } | undefined)?.color?.id, 'disabledForeground', 'inherited services are dimmed');
    const aliceItems = (await harness.tree.getChildren(alice)).map((node) => harness.tree.getTreeItem(node));
    assert.deepEqual(aliceItems.map((item) => [item.label, item.description ?? '']), [['team-alice-feature', ''], ['api', ''], ['web', 'from team']]);
  });

  it('Refreshes_When_The_Daemon_Reports_A_Service_Change', async () => {
    let services = 0;
    harness.daemon.handle(rpc.ListServices.type, ({ space }) => ({
      space: space ?? '',
      services: Array.from({ length: ++services }, (_, i) => ({ name: `svc${i}`, type: 'ClusterIP', clusterIP: null, ports: [] })),
    }));
    const team = (await harness.tree.getChildren())[1];
    assert.equal((await harness.tree.getChildren(team)).length, 3);
    assert.equal((await harness.tree.getChildren(team)).length, 3, 'services are cached between expansions');
    let refreshed = false;
    harness.tree.onDidChangeTreeData(() => (refreshed = true));
    harness.daemon.notify(rpc.ServiceChanged.type, { kind: 'added', space: 'team', name: 'svc1' });
    assert.ok(refreshed, 'the view is told to refresh');
    assert.equal((await harness.tree.getChildren(team)).length, 4);
  });
});
