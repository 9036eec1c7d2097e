import * as assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import * as rpc from '../src/protocol/methods';
import { HttpTrace } from '../src/protocol/types';
import { traceLines } from '../src/traces/traceLines';
import { Harness, createHarness } from './support/harness';
import { recorded } from './support/fakeVscode';

const trace = (over: Partial<HttpTrace> = {}): HttpTrace => ({
  sequence: 1,
  time: '2026-01-01T10:00:01.250Z',
  asked: null,
  source: 'none',
  space: null,
  service: 'api',
  method: 'GET',
  path: '/orders',
  status: 200,
  durationMs: 1.25,
  servedBy: 'team',
  keyDropped: null,
  ...over,
});

let harness: Harness;
beforeEach(() => {
  harness = createHarness();
  harness.daemon.setState({ kind: 'running', version: '0.1.0', pid: 42 });
});
afterEach(() => harness.dispose());

describe('HTTP traces', () => {
  it('A_Trace_Reads_Like_The_Cli_Line', () => {
    assert.deepEqual(traceLines(trace({ source: 'header', asked: 'team-alice', space: 'team-alice', servedBy: 'team-alice' })), [
      "10:00:01.250 GET api/orders 200 1.3 ms  header 'team-alice' -> team-alice",
    ]);
  });

  it('A_Lost_Key_Names_The_Service_That_Must_Forward_It_And_How_Sure_That_Is', () => {
    const exact = traceLines(trace({ keyDropped: { space: 'team-alice', service: 'web', servedBy: 'team', exact: true } }));
    assert.equal(exact.length, 2);
    assert.match(exact[1], /key for 'team-alice' dropped: web .* web must forward the devspaces-route-as .*exact/);
    const guess = traceLines(trace({ keyDropped: { space: 'team-alice', service: 'web', servedBy: 'team', exact: false } }));
    assert.match(guess[1], /best guess/);
  });

  it('Show_Http_Traces_Follows_The_Selected_Spaces_Router_In_An_Output_Channel', async () => {
    const asked: { space: string; after?: number }[] = [];
    harness.daemon.handle(rpc.GetTraces.type, (params) => {
      asked.push(params);
      return asked.length === 1
        ? { traces: [trace({ keyDropped: { space: 'team-alice', service: 'web', servedBy: 'team', exact: true } })], next: 7 }
        : new Promise(() => undefined);
    });
    await harness.model.reloadTree();
    await harness.run('devspaces.showTraces');
    const channel = recorded.channels.find((c) => c.name === 'DevSpaces: HTTP Traces');
    await waitFor(() => asked.length === 2);
    assert.deepEqual(asked.map((a) => [a.space, a.after]), [['team', 0], ['team', 7]]);
    assert.equal(channel?.lines.length, 3, channel?.lines.join('\n'));
    assert.match(channel?.lines[2] ?? '', /web must forward/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(condition(), 'condition not met');
}
