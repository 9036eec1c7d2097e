import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import { Backoff } from '../src/daemon/Backoff';
import { DaemonNotFoundError, DaemonUnavailableError } from '../src/daemon/DaemonErrors';
import { DaemonState } from '../src/daemon/DaemonState';
import { DaemonSupervisor } from '../src/daemon/DaemonSupervisor';
import * as rpc from '../src/protocol/methods';
import { nextEvent } from './support/waitFor';

const Echo = new RequestType<{ text: string }, { text: string; pid: number }, void>('test/echo');
const Crash = new RequestType<Record<string, never>, null, void>('test/crash');
const Hang = new RequestType<Record<string, never>, null, void>('test/hang');
const ProtocolError = new RequestType<Record<string, never>, null, void>('test/protocolError');
const Notify = new RequestType<{ text: string }, null, void>('test/notify');
const Note = new NotificationType<{ text: string }>('test/note');
const fakeDaemon = path.join(__dirname, 'support', 'fakeDaemon.js');

class MemoryLog {
  readonly lines: string[] = [];
  trace = (message: string): number => this.lines.push(`trace ${message}`);
  debug = (message: string): number => this.lines.push(`debug ${message}`);
  info = (message: string): number => this.lines.push(`info ${message}`);
  warn = (message: string): number => this.lines.push(`warn ${message}`);
  error = (message: string): number => this.lines.push(`error ${message}`);
}

const supervisors: DaemonSupervisor[] = [];

function supervise(extraArgs: string[] = [], backoff = new Backoff(10, 50)): { supervisor: DaemonSupervisor; log: MemoryLog } {
  const log = new MemoryLog();
  const supervisor = new DaemonSupervisor({
    launch: () => ({ command: process.execPath, args: [fakeDaemon, 'daemon', '--stdio', ...extraArgs] }),
    initialize: async (connection) =>
      (await connection.sendRequest(rpc.Initialize.type, { clientName: 'test', clientVersion: null, workspaceFolder: null }))
        .version,
    shutdown: async (connection) => {
      await connection.sendRequest(rpc.Shutdown.type, {});
    },
    log,
    backoff,
    readyTimeoutMs: 10_000,
  });
  supervisors.push(supervisor);
  return { supervisor, log };
}

function running(supervisor: DaemonSupervisor): Promise<DaemonState> {
  return supervisor.state.kind === 'running'
    ? Promise.resolve(supervisor.state)
    : nextEvent(supervisor.onDidChangeState, (state) => state.kind === 'running', 'the daemon to be running');
}

afterEach(async () => {
  for (const supervisor of supervisors.splice(0)) {
    await supervisor.stop();
    supervisor.dispose();
  }
});

describe('DaemonSupervisor', () => {
  it('Starts_The_Daemon_And_Is_Running_Once_Initialize_Is_Answered', async () => {
    const { supervisor } = supervise();
    const ready = running(supervisor);
    supervisor.start();
    const state = await ready;
    assert.equal(state.kind, 'running');
    assert.equal(state.kind === 'running' && state.version, '0.0.0-fake');
    const reply = await supervisor.request(Echo, { text: 'hello' });
    assert.equal(reply.text, 'hello');
  });

  it('Requests_Sent_While_Starting_Wait_For_The_Daemon', async () => {
    const { supervisor } = supervise();
    supervisor.start();
    assert.equal(supervisor.state.kind, 'starting');
    const reply = await supervisor.request(Echo, { text: 'early' });
    assert.equal(reply.text, 'early');
  });

  it('Restarts_A_Crashed_Daemon_With_Back_Off_And_Says_So', async () => {
    const { supervisor, log } = supervise();
    supervisor.start();
    const first = await supervisor.request(Echo, { text: 'a' });
    const restarting = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'restarting', 'a restarting state');
    await assert.rejects(supervisor.request(Crash, {}));
    const state = await restarting;
    assert.ok(state.kind === 'restarting' && state.reason.includes('exited with code 3'), JSON.stringify(state));
    assert.ok(state.kind === 'restarting' && state.delayMs === 10);
    await running(supervisor);
    const second = await supervisor.request(Echo, { text: 'b' });
    assert.notEqual(second.pid, first.pid, 'a new daemon process answers after the restart');
    assert.ok(log.lines.some((line) => line.includes('restarting in 10 ms')), log.lines.join('\n'));
    assert.ok(log.lines.some((line) => line.includes('[daemon] fake daemon crashing on request')), 'daemon stderr reaches the log');
  });

  it('A_Restart_Says_Once_Why_The_Daemon_Exited_When_It_Said_So', async () => {
    const { supervisor, log } = supervise();
    supervisor.start();
    await running(supervisor);
    const restarting = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'restarting', 'a restarting state');
    await assert.rejects(supervisor.request(ProtocolError, {}));
    const state = await restarting;
    assert.ok(
      state.kind === 'restarting' && state.reason === 'The DevSpaces daemon exited with code 3 (protocol error: a malformed message header)',
      JSON.stringify(state),
    );
    const warnings = log.lines.filter((line) => line.startsWith('warn ') && line.includes('protocol error'));
    assert.equal(warnings.length, 1, log.lines.join('\n'));
  });

  it('A_Request_In_Flight_When_The_Daemon_Dies_Fails_With_A_Clear_Message', async () => {
    const { supervisor } = supervise();
    supervisor.start();
    await running(supervisor);
    const hanging = supervisor.request(Hang, {});
    const pid = supervisor.state.kind === 'running' ? supervisor.state.pid : undefined;
    assert.ok(pid, 'the running state names the daemon pid');
    process.kill(pid, 'SIGKILL');
    await assert.rejects(hanging, (error: unknown) => {
      assert.ok(error instanceof DaemonUnavailableError);
      assert.match(error.message, /daemon was killed by SIGKILL while handling this request/);
      assert.match(error.hint, /restarted automatically/);
      return true;
    });
  });

  it('Consecutive_Crashes_Double_The_Restart_Delay', async () => {
    const { supervisor } = supervise();
    supervisor.start();
    const delays: number[] = [];
    supervisor.onDidChangeState((state) => state.kind === 'restarting' && delays.push(state.delayMs));
    for (let i = 0; i < 3; i++) {
      await running(supervisor);
      await assert.rejects(supervisor.request(Crash, {}));
    }
    await running(supervisor);
    assert.deepEqual(delays, [10, 20, 40]);
  });

  it('A_Missing_Daemon_Is_Unavailable_With_A_Hint_And_Requests_Fail_Fast', async () => {
    const log = new MemoryLog();
    const supervisor = new DaemonSupervisor({
      launch: () => {
        throw new DaemonNotFoundError('The DevSpaces daemon was not found (looked at /nowhere).', 'Build it.');
      },
      initialize: () => Promise.resolve('never'),
      shutdown: () => Promise.resolve(),
      log,
    });
    supervisors.push(supervisor);
    supervisor.start();
    assert.deepEqual(supervisor.state, {
      kind: 'unavailable',
      reason: 'The DevSpaces daemon was not found (looked at /nowhere).',
      hint: 'Build it.',
    });
    await assert.rejects(supervisor.request(Echo, { text: 'x' }), /^DaemonUnavailableError: The DevSpaces daemon was not found/, 'no RPC method name in what the user reads');
  });

  it('Stays_Idle_Until_The_First_Request_Starts_It', async () => {
    const { supervisor } = supervise();
    assert.equal(supervisor.state.kind, 'idle');
    const reply = await supervisor.request(Echo, { text: 'first' });
    assert.equal(reply.text, 'first');
    assert.equal(supervisor.state.kind, 'running');
  });

  it('A_Daemon_That_Exits_As_Soon_As_It_Starts_Is_Given_Up_With_What_It_Said', async () => {
    const { supervisor } = supervise(['--exit-at-start']);
    const unavailable = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'unavailable', 'the daemon to be given up');
    supervisor.start();
    const state = await unavailable;
    assert.match(state.kind === 'unavailable' ? state.reason : '', /exited with code 3 as soon as it started, 3 times in a row: .*DllNotFoundException: libicu/);
    assert.match(state.kind === 'unavailable' ? state.hint : '', /devspaces\.daemonPath/);
    await assert.rejects(supervisor.request(Echo, { text: 'x' }), /as soon as it started/);
  });

  it('A_Daemon_File_That_Cannot_Be_Executed_Is_Given_Up_At_Once', async () => {
    const log = new MemoryLog();
    const supervisor = new DaemonSupervisor({
      launch: () => ({ command: __filename, args: [] }),
      initialize: () => Promise.resolve('never'),
      shutdown: () => Promise.resolve(),
      log,
    });
    supervisors.push(supervisor);
    const unavailable = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'unavailable', 'the daemon to be given up');
    supervisor.start();
    const state = await unavailable;
    assert.match(state.kind === 'unavailable' ? state.reason : '', /could not be started \(spawn .*EACCES\)/);
  });

  it('Keeps_The_Level_Of_Each_Daemon_Log_Line', async () => {
    const { supervisor, log } = supervise(['--log-levels']);
    supervisor.start();
    await running(supervisor);
    const levels = log.lines.filter((line) => / a \w+ line$|continuation$/.test(line));
    assert.deepEqual(levels, [
      'debug [daemon] a debug line',
      'info [daemon] a info line',
      'warn [daemon] a warning line',
      'error [daemon] a error line',
      'error [daemon]   and its continuation',
    ]);
  });

  it('A_Daemon_That_Does_Not_Initialize_Is_Restarted', async () => {
    const { supervisor, log } = supervise(['--refuse-initialize'], new Backoff(1000, 1000));
    const restarting = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'restarting', 'a restart after a refused initialize');
    supervisor.start();
    await restarting;
    assert.ok(log.lines.some((line) => line.includes("did not answer 'initialize'") && line.includes('initialize refused')), log.lines.join('\n'));
  });

  it('Stop_Shuts_The_Daemon_Down_And_Requests_Then_Fail', async () => {
    const { supervisor } = supervise();
    supervisor.start();
    await running(supervisor);
    const pid = supervisor.state.kind === 'running' ? supervisor.state.pid : undefined;
    await supervisor.stop();
    assert.equal(supervisor.state.kind, 'stopped');
    assert.throws(() => process.kill(pid!, 0), 'the daemon process is gone after stop');
    await assert.rejects(supervisor.request(Echo, { text: 'x' }), /daemon is stopped/);
  });

  it('Every_Subscriber_Of_A_Notification_Receives_It_Also_After_A_Restart', async () => {
    const { supervisor } = supervise();
    const first: string[] = [];
    const second: string[] = [];
    supervisor.onNotification(Note, (note) => first.push(note.text));
    const secondSubscription = supervisor.onNotification(Note, (note) => second.push(note.text));
    supervisor.start();
    await running(supervisor);

    await supervisor.request(Notify, { text: 'one' });
    secondSubscription.dispose();
    const restarting = nextEvent(supervisor.onDidChangeState, (s) => s.kind === 'restarting', 'a restarting state');
    await assert.rejects(supervisor.request(Crash, {}));
    await restarting;
    await running(supervisor);
    await supervisor.request(Notify, { text: 'two' });

    assert.deepEqual(first, ['one', 'two']);
    assert.deepEqual(second, ['one']);
  });

  it('Restart_Replaces_The_Daemon_Process', async () => {
    const { supervisor } = supervise();
    supervisor.start();
    const before = await supervisor.request(Echo, { text: 'x' });
    await supervisor.restart();
    const after = await supervisor.request(Echo, { text: 'y' });
    assert.notEqual(after.pid, before.pid);
  });
});

describe('Backoff', () => {
  it('Grows_Exponentially_Up_To_The_Cap_And_Resets_After_A_Healthy_Run', () => {
    const backoff = new Backoff(500, 4000, 60_000);
    assert.deepEqual([0, 0, 0, 0, 0].map(() => backoff.next(10)), [500, 1000, 2000, 4000, 4000]);
    assert.equal(backoff.next(60_000), 500);
  });
});
