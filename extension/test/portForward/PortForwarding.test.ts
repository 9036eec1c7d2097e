import { recorded } from '../support/fakeVscode';
import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc';
import { PortForwardsModel } from '../../src/portForward/PortForwardsModel';
import { PortForwardNode, PortForwardsTreeProvider, portForwardsViewId } from '../../src/portForward/PortForwardsTreeProvider';
import { validatePortMappings, validateTarget } from '../../src/portForward/portMappings';
import { PortForwardCommandIds } from '../../src/portForward/registerPortForwarding';
import { ErrorCodes } from '../../src/protocol/errors';
import * as rpc from '../../src/protocol/methods';
import { ForwardEventKind, PortForwardEventInfo, PortForwardInfo, ServiceInfo, StartPortForwardParams } from '../../src/protocol/types';
import { FakeDaemonClient } from '../support/FakeDaemonClient';
import { Harness, createHarness } from '../support/harness';
import { waitFor } from '../support/waitFor';

const web: ServiceInfo = {
  name: 'web',
  type: 'ClusterIP',
  clusterIP: '10.0.0.7',
  ports: [
    { name: 'http', port: 80, targetPort: '8080', protocol: 'TCP', nodePort: null, containerPort: 8080 },
    { name: 'debug', port: 9229, targetPort: '9229', protocol: 'TCP', nodePort: null, containerPort: 9229 },
  ],
};

const forwardInfo = (id: string, params: StartPortForwardParams): PortForwardInfo => ({
  id,
  target: params.target,
  namespace: params.space ?? 'team',
  ports: params.ports.map((mapping) => {
    const [local, remote] = mapping.includes(':') ? mapping.split(':') : [mapping, mapping];
    return { address: '127.0.0.1', localPort: local ? Number(local) : 41000, remotePort: remote ?? '' };
  }),
  pod: 'web-5d8f-abcde',
  activeConnections: 0,
});

const event = (forwardId: string, kind: ForwardEventKind, message: string, extra: Partial<PortForwardEventInfo> = {}): PortForwardEventInfo => ({
  forwardId,
  kind,
  message,
  time: '2026-11-26T08:00:00.0000000Z',
  pod: null,
  previousPod: null,
  localPort: null,
  remotePort: null,
  connectionId: null,
  ...extra,
});

const pickLabel = (label: string) => (items: { label: string }[]) => items.find((item) => item.label === label);
const pickLabelEnding = (suffix: string) => (items: { label: string }[]) => items.find((item) => item.label.endsWith(suffix));

let harness: Harness;
let started: StartPortForwardParams[];

function tree(): PortForwardsTreeProvider {
  const provider = recorded.treeProviders.get(portForwardsViewId);
  assert.ok(provider instanceof PortForwardsTreeProvider, 'the Port Forwards view has a provider');
  return provider;
}

function rows(): { label: string; description: string | undefined; node: PortForwardNode }[] {
  const view = tree();
  return view.getChildren().map((node) => {
    const item = view.getTreeItem(node);
    return { label: item.label as string, description: item.description as string | undefined, node };
  });
}

beforeEach(async () => {
  harness = createHarness();
  started = [];
  let nextId = 0;
  harness.daemon.handle(rpc.ListServices.type, ({ space }) => ({ space: space ?? 'team', services: [web] }));
  harness.daemon.handle(rpc.ListPortForwards.type, () => ({ forwards: [] }));
  harness.daemon.handle(rpc.StartPortForward.type, (params) => {
    started.push(params);
    return forwardInfo(`pf-${++nextId}`, params);
  });
  harness.daemon.handle(rpc.StopPortForward.type, ({ id }) => ({ ...forwardInfo(id, { target: 'service/web', ports: ['80:80'] }) }));
  harness.daemon.setState({ kind: 'running', version: '0.1.0', pid: 42 });
  await waitFor(() => harness.model.snapshot.selection?.space === 'team', 'the selected space to be read from the daemon');
});

afterEach(() => harness.dispose());

describe('Forward a Port', () => {
  it('Offers_The_Services_Of_The_Current_Space_And_Suggests_The_Container_Port_Locally', async () => {
    recorded.user.quickPick.push(pickLabelEnding('service/web'), pickLabel('80'));
    recorded.user.inputBox.push('80:80');
    recorded.user.messageAnswers.push('Open in Browser');

    await harness.run(PortForwardCommandIds.forwardPort);

    const targets = recorded.quickPicks[0]?.items.map((item) => `${item.label} ${item.description ?? ''}`);
    assert.deepEqual(targets, ['$(plug) service/web 80 (http), 9229 (debug)', '$(edit) Enter a target… pod/NAME, deployment/NAME or service/NAME']);
    assert.deepEqual(
      recorded.quickPicks[1]?.items.map((item) => item.label),
      ['80', '9229', 'All ports', '$(edit) Other mapping…'],
    );
    // 8080, where the container listens (80 would need root), or the next free port when this machine uses it.
    const [local, remote] = (recorded.inputBoxes[0]?.options.value ?? '').split(':').map(Number);
    assert.ok(local !== undefined && local >= 8080 && local < 8100 && remote === 80, `suggested: ${recorded.inputBoxes[0]?.options.value}`);
    assert.deepEqual(started, [{ target: 'service/web', ports: ['80:80'], space: 'team', address: null }]);
    const shown = recorded.messages.find((m) => m.severity === 'info');
    assert.match(shown?.text ?? '', /^Forwarding http:\/\/127\.0\.0\.1:80 to service\/web port 80 in space 'team' \(pod web-5d8f-abcde\)\.$/);
    assert.deepEqual(shown?.actions, ['Open in Browser', 'Copy Address']);
    assert.deepEqual(recorded.openedExternally, ['http://127.0.0.1:80']);
    assert.deepEqual(rows().map((row) => row.label), ['service/web  80 → 80']);
  });

  it('Copy_Address_Puts_The_Local_URL_On_The_Clipboard', async () => {
    recorded.user.quickPick.push(pickLabelEnding('service/web'), pickLabel('9229'));
    recorded.user.inputBox.push('19229:9229');
    recorded.user.messageAnswers.push('Copy Address');
    await harness.run(PortForwardCommandIds.forwardPort);
    assert.deepEqual(recorded.clipboard, ['http://127.0.0.1:19229']);
  });

  it('A_Typed_Deployment_Target_Is_Sent_With_The_Typed_Mappings', async () => {
    recorded.user.quickPick.push(pickLabelEnding('Enter a target…'));
    recorded.user.inputBox.push('deployment/api', '5000:80 :9229');
    await harness.run(PortForwardCommandIds.forwardPort);
    assert.equal(recorded.inputBoxes[0]?.validation, undefined, 'deployment/api is accepted');
    assert.equal(recorded.inputBoxes[1]?.options.value, '', 'a typed target has no port to suggest');
    assert.deepEqual(started, [{ target: 'deployment/api', ports: ['5000:80', ':9229'], space: 'team', address: null }]);
  });

  it('When_Services_Cannot_Be_Listed_A_Target_Can_Still_Be_Typed', async () => {
    harness.daemon.handle(rpc.ListServices.type, () => {
      throw new ResponseError(ErrorCodes.Forbidden, "services is forbidden: cannot list services in 'team'.", { hint: null, detail: null });
    });
    recorded.user.quickPick.push(pickLabelEnding('Enter a target…'));
    recorded.user.inputBox.push('pod/web-0', '8080:80');
    await harness.run(PortForwardCommandIds.forwardPort);
    assert.match(recorded.quickPicks[0]?.options?.placeHolder ?? '', /Services unavailable \(services is forbidden/);
    assert.deepEqual(started.map((s) => s.target), ['pod/web-0']);
  });

  it('Forwarding_From_A_Service_In_The_Spaces_View_Skips_The_Target_Question', async () => {
    recorded.user.quickPick.push(pickLabel('All ports'));
    recorded.user.inputBox.push('80:80 9229:9229');
    await harness.run(PortForwardCommandIds.forwardPort, { kind: 'service', space: 'team-bob', service: web });
    assert.equal(recorded.quickPicks.length, 1, 'only the port is asked for');
    assert.match(recorded.inputBoxes[0]?.options.value ?? '', /^80[89]\d:80 92[23]\d:9229$/, 'every port gets an unprivileged local one');
    assert.deepEqual(started, [{ target: 'service/web', ports: ['80:80', '9229:9229'], space: 'team-bob', address: null }]);
  });

  it('Port_In_Use_Names_The_Owning_Process_And_Offers_Any_Free_Local_Port', async () => {
    harness.daemon.handle(rpc.StartPortForward.type, (params) => {
      started.push(params);
      if (!params.ports.every((p) => p.startsWith(':'))) {
        throw new ResponseError(ErrorCodes.LocalPortInUse, 'Local port 80 on 127.0.0.1 is already in use by nginx (pid 812).', {
          hint: 'Choose another local port (or :REMOTE for any free one), or stop the process that holds it.',
          detail: null,
        });
      }
      return forwardInfo('pf-9', params);
    });
    recorded.user.quickPick.push(pickLabelEnding('service/web'), pickLabel('80'));
    recorded.user.inputBox.push('80:80');
    recorded.user.messageAnswers.push('Use Any Free Local Port');
    await harness.run(PortForwardCommandIds.forwardPort);
    const error = recorded.messages.find((m) => m.severity === 'error');
    assert.match(error?.text ?? '', /already in use by nginx \(pid 812\)\. Choose another local port/);
    assert.deepEqual(error?.actions, ['Use Any Free Local Port']);
    assert.deepEqual(started.map((s) => s.ports), [['80:80'], [':80']]);
    assert.match(recorded.messages.at(-1)?.text ?? '', /Forwarding http:\/\/127\.0\.0\.1:41000/);
  });

  it('Unknown_Target_And_No_Ready_Pod_Are_Shown_With_The_Daemons_Message_And_Hint', async () => {
    const failures = [
      new ResponseError(ErrorCodes.ForwardTargetNotFound, "deployment/nope was not found in namespace 'team'.", {
        hint: 'Check the name with: devspaces service list.',
        detail: null,
      }),
      new ResponseError(ErrorCodes.NoReadyPod, 'No pod of deployment/api became ready: web-0 is pending (image missing).', {
        hint: 'Build or load the image, then try again.',
        detail: null,
      }),
    ];
    harness.daemon.handle(rpc.StartPortForward.type, () => {
      throw failures.shift() ?? new Error('unexpected start');
    });
    for (const target of ['deployment/nope', 'deployment/api']) {
      recorded.user.quickPick.push(pickLabelEnding('Enter a target…'));
      recorded.user.inputBox.push(target, '8080:80');
      await harness.run(PortForwardCommandIds.forwardPort);
    }
    const errors = recorded.messages.filter((m) => m.severity === 'error').map((m) => m.text);
    assert.deepEqual(errors, [
      "Could not forward the port: deployment/nope was not found in namespace 'team'. Check the name with: devspaces service list.",
      'Could not forward the port: No pod of deployment/api became ready: web-0 is pending (image missing). Build or load the image, then try again.',
    ]);
    assert.deepEqual(rows(), [], 'nothing is listed after a failed start');
  });

  it('Port_Mappings_And_Targets_Are_Checked_Before_Sending', () => {
    assert.equal(validatePortMappings('8080:80'), undefined);
    assert.equal(validatePortMappings(':80, 9229 5000:http'), undefined);
    assert.match(validatePortMappings('') ?? '', /Enter LOCAL:REMOTE/);
    assert.match(validatePortMappings('70000:80') ?? '', /Local port 70000 is outside 1–65535/);
    assert.match(validatePortMappings('80:') ?? '', /names no remote port/);
    assert.match(validatePortMappings('1:2:3') ?? '', /more than one ':'/);
    assert.match(validatePortMappings('http') ?? '', /needs a local port too \(e\.g\. 8080:http\)/);
    assert.match(validatePortMappings('8080:Web_Port') ?? '', /neither a number nor a port name/);
    assert.equal(validateTarget('deploy/api'), undefined);
    assert.equal(validateTarget('other-space/svc/web'), undefined);
    assert.equal(validateTarget('web-0'), undefined);
    assert.match(validateTarget('cronjob/x') ?? '', /is not pod\/NAME, deployment\/NAME/);
    assert.match(validateTarget(' ') ?? '', /Enter pod\/NAME/);
  });
});

describe('Port Forwards view', () => {
  async function forwardWeb(): Promise<string> {
    recorded.user.quickPick.push(pickLabelEnding('service/web'), pickLabel('80'));
    recorded.user.inputBox.push('8080:80');
    await harness.run(PortForwardCommandIds.forwardPort);
    const id = rows()[0]?.node.forwardId;
    assert.ok(id, 'the forward is listed');
    return id;
  }

  it('Follows_Pod_Switches_And_Says_So_In_The_Output', async () => {
    const id = await forwardWeb();
    assert.equal(rows()[0]?.description, 'listening · web-5d8f-abcde');
    harness.daemon.notify(
      rpc.PortForwardEvent.type,
      event(id, 'podSwitched', 'Pod web-5d8f-abcde went away; new connections go to web-5d8f-fghij.', {
        pod: 'web-5d8f-fghij',
        previousPod: 'web-5d8f-abcde',
      }),
    );
    assert.equal(rows()[0]?.description, 'listening · web-5d8f-fghij (switched)');
    assert.ok(
      harness.log.lines.includes(`warn Port forward ${id}: Pod web-5d8f-abcde went away; new connections go to web-5d8f-fghij.`),
      harness.log.lines.join('\n'),
    );
    assert.deepEqual(recorded.statusBarMessages, ['$(plug) Pod web-5d8f-abcde went away; new connections go to web-5d8f-fghij.']);
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'noReadyPod', 'No ready pod: web-5d8f-fghij is pending.'));
    assert.equal(rows()[0]?.description, 'waiting for a ready pod');
  });

  it('Connection_Events_Refresh_Only_The_Row_Of_Their_Forward', async () => {
    const id = await forwardWeb();
    const [node] = tree().getChildren();
    const refreshed: (PortForwardNode | undefined)[] = [];
    const subscription = tree().onDidChangeTreeData((element) => refreshed.push(element));
    try {
      harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionOpened', 'Connection 1 opened.', { connectionId: 1 }));
      harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionClosed', 'Connection 1 closed.', { connectionId: 1 }));
    } finally {
      subscription.dispose();
    }
    assert.equal(refreshed.length, 2);
    assert.ok(refreshed.every((element) => element === node), 'the same row object, so VS Code keeps resolving clicks on it');
    assert.equal(tree().getChildren()[0], node, 'rows keep their identity across reads');
  });

  it('A_Pod_Switch_Stays_Visible_After_A_Later_Connection_Failure', async () => {
    const id = await forwardWeb();
    harness.daemon.notify(
      rpc.PortForwardEvent.type,
      event(id, 'podSwitched', 'Pod web-5d8f-abcde is gone or not ready; new connections go to pod web-5d8f-fghij.', {
        pod: 'web-5d8f-fghij',
        previousPod: 'web-5d8f-abcde',
      }),
    );
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionFailed', 'Connection 3 to web-5d8f-abcde was reset.', { connectionId: 3 }));
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionOpened', 'Connection 4 opened.', { connectionId: 4 }));
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionClosed', 'Connection 4 closed.', { connectionId: 4 }));
    assert.equal(rows()[0]?.description, 'listening · web-5d8f-fghij (switched)');
  });

  it('A_Failed_Connection_Is_Shown_Until_A_Connection_Completes_Again', async () => {
    const id = await forwardWeb();
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionOpened', 'Connection 1 opened.', { connectionId: 1 }));
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionOpened', 'Connection 2 opened.', { connectionId: 2 }));
    assert.equal(rows()[0]?.description, 'listening · web-5d8f-abcde · 2 open');
    harness.daemon.notify(
      rpc.PortForwardEvent.type,
      event(id, 'connectionFailed', 'Nothing listens on port 80 of web-5d8f-abcde.', { connectionId: 1 }),
    );
    assert.equal(rows()[0]?.description, 'connection failed: Nothing listens on port 80 of web-5d8f-abcde. · 1 open');
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'connectionClosed', 'Connection 2 closed.', { connectionId: 2 }));
    assert.equal(rows()[0]?.description, 'listening · web-5d8f-abcde');
  });

  it('Stop_From_The_View_Stops_That_Forward_And_Removes_It', async () => {
    const id = await forwardWeb();
    const node = rows()[0]?.node;
    await harness.run(PortForwardCommandIds.stopPortForward, node);
    assert.deepEqual(harness.daemon.sentTo('portForward/stop'), [{ id }]);
    assert.deepEqual(rows(), []);
    assert.equal(recorded.quickPicks.filter((p) => p.options?.placeHolder === 'Port forward to stop').length, 0);
  });

  it('Stop_From_The_Palette_Picks_Among_The_Running_Forwards', async () => {
    await forwardWeb();
    const second = await (async () => {
      recorded.user.quickPick.push(pickLabelEnding('Enter a target…'));
      recorded.user.inputBox.push('deployment/api', '5000:5000');
      await harness.run(PortForwardCommandIds.forwardPort);
      return rows()[1]?.node.forwardId;
    })();
    recorded.user.quickPick.push(pickLabel('deployment/api 5000→5000 (team)'));
    await harness.run(PortForwardCommandIds.stopPortForward);
    assert.deepEqual(harness.daemon.sentTo('portForward/stop'), [{ id: second }]);
    assert.deepEqual(rows().map((row) => row.label), ['service/web  8080 → 80']);
  });

  it('Stopping_With_None_Running_Says_So', async () => {
    await harness.run(PortForwardCommandIds.stopPortForward);
    assert.deepEqual(recorded.messages.map((m) => m.text), ['No ports are being forwarded.']);
    assert.deepEqual(harness.daemon.sentTo('portForward/stop'), []);
  });

  it('Stopping_A_Forward_The_Daemon_No_Longer_Has_Shows_Its_Error', async () => {
    const id = await forwardWeb();
    harness.daemon.handle(rpc.StopPortForward.type, () => {
      throw new ResponseError(ErrorCodes.PortForwardNotFound, `There is no port forward '${id}'.`, { hint: 'Running forwards: none.', detail: null });
    });
    await harness.run(PortForwardCommandIds.stopPortForward, rows()[0]?.node);
    assert.deepEqual(recorded.messages.filter((m) => m.severity === 'error').map((m) => m.text), [
      `Could not stop the port forward: There is no port forward '${id}'. Running forwards: none.`,
    ]);
    assert.deepEqual(rows(), [], 'a forward the daemon does not know is not listed any more');
  });

  it('Events_That_Arrive_Before_The_Start_Answer_Are_Not_Lost', async () => {
    const daemon = new FakeDaemonClient();
    const model = new PortForwardsModel(daemon, harness.log);
    try {
      daemon.handle(rpc.StartPortForward.type, (params) => {
        daemon.notify(rpc.PortForwardEvent.type, event('pf-7', 'noReadyPod', 'No ready pod yet.'));
        return forwardInfo('pf-7', params);
      });
      await model.start({ target: 'service/web', ports: ['80'] });
      assert.equal(model.find('pf-7')?.health, 'noReadyPod');
    } finally {
      model.dispose();
    }
  });

  it('A_Stopped_Event_Or_A_Daemon_Restart_Removes_Forwards', async () => {
    const id = await forwardWeb();
    harness.daemon.notify(rpc.PortForwardEvent.type, event(id, 'stopped', 'Stopped.'));
    assert.deepEqual(rows(), []);
    await forwardWeb();
    harness.daemon.setState({ kind: 'restarting', reason: 'exited with code 3', delayMs: 1000, attempt: 1 });
    assert.deepEqual(rows(), []);
    assert.ok(harness.log.lines.some((line) => /its 1 port forward\(s\) ended/.test(line)), harness.log.lines.join('\n'));
  });
});
