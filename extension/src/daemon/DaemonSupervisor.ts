import * as cp from 'node:child_process';
import {
  CancellationToken,
  Disposable,
  Emitter,
  Event,
  MessageConnection,
  NotificationType,
  RequestType,
  StreamMessageReader,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import { Backoff } from './Backoff';
import { DaemonNotFoundError, DaemonUnavailableError } from './DaemonErrors';
import { DaemonState } from './DaemonState';
import { DaemonStdinWriter } from './DaemonStdinWriter';
import { parseDaemonLogLine } from './daemonLogLine';
import { Logger } from './Logger';

/** How to start one daemon process. Resolved anew for each start, so setting changes apply. */
export interface DaemonLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export interface DaemonSupervisorOptions {
  /** Throws DaemonNotFoundError when there is nothing to start. */
  readonly launch: () => DaemonLaunch;
  /** The handshake run on every new connection; returns the daemon's version. */
  readonly initialize: (connection: MessageConnection) => Promise<string>;
  /** Sent before a deliberate stop; the daemon also exits when its stdin closes. */
  readonly shutdown: (connection: MessageConnection) => Promise<void>;
  readonly log: Logger;
  readonly backoff?: Backoff;
  /** How long a request waits for a (re)starting daemon before failing. */
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  /** After this many starts in a row that ended before `initialize` was answered, the daemon is given up. */
  readonly maxFailedStarts?: number;
}

interface Running {
  readonly generation: number;
  readonly child: cp.ChildProcess;
  readonly connection: MessageConnection;
  readonly startedAt: number;
  /** Rejects every request still waiting on this process when it dies. */
  readonly inFlight: Set<(error: Error) => void>;
  /** The last lines it wrote to stderr: why a daemon that dies at start died. */
  readonly lastLines: string[];
  initialized: boolean;
  exited: boolean;
  stopping: boolean;
  /** Why the daemon said it exits (its last 'daemon exiting: …' log line), e.g. a protocol error. */
  exitReason?: string;
  readonly exit: Promise<void>;
}

/** Every subscriber of one notification; a connection holds only one handler per method. */
interface NotificationSubscribers {
  readonly type: NotificationType<unknown>;
  readonly handlers: Set<(params: unknown) => void>;
}

/**
 * Owns the daemon process: starts it, speaks JSON-RPC to it, restarts it with back-off when it
 * dies, and fails requests that were in flight with a message that says what happened.
 */
export class DaemonSupervisor implements Disposable {
  private readonly stateEmitter = new Emitter<DaemonState>();
  private readonly notifications = new Map<string, NotificationSubscribers>();
  private readonly backoff: Backoff;
  private current: Running | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  private failedStarts = 0;
  private disposed = false;
  private stateValue: DaemonState = { kind: 'idle' };

  readonly onDidChangeState: Event<DaemonState> = this.stateEmitter.event;

  constructor(private readonly options: DaemonSupervisorOptions) {
    this.backoff = options.backoff ?? new Backoff();
  }

  get state(): DaemonState {
    return this.stateValue;
  }

  /** Starts the daemon (requests also start it when it is idle); failures are reported through the state, never thrown. */
  start(): void {
    if (this.disposed || this.current || this.restartTimer) {
      return;
    }
    this.launch();
  }

  /** Stops the running daemon (if any) and starts a fresh one, forgetting past crashes. */
  async restart(): Promise<void> {
    this.clearRestartTimer();
    await this.stopCurrent();
    this.backoff.reset();
    this.failedStarts = 0;
    if (!this.disposed) {
      this.launch();
    }
  }

  /** Stops the daemon and keeps it stopped. */
  async stop(): Promise<void> {
    this.clearRestartTimer();
    await this.stopCurrent();
    this.setState({ kind: 'stopped' });
  }

  /** Sends a request once the daemon is ready; fails clearly if it is not there or dies meanwhile. */
  async request<P, R>(type: RequestType<P, R, unknown>, params: P, token?: CancellationToken): Promise<R> {
    const running = await this.whenReady();
    return new Promise<R>((resolve, reject) => {
      const onExit = (error: Error): void => reject(error);
      running.inFlight.add(onExit);
      running.connection.sendRequest(type, params, token).then(
        (result) => {
          running.inFlight.delete(onExit);
          resolve(result);
        },
        (error: unknown) => {
          running.inFlight.delete(onExit);
          // A reply lost because the process died is reported by onExit with a better message.
          if (!running.exited) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      );
    });
  }

  /** Subscribes to a notification on the current and every future daemon connection. */
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable {
    let subscribers = this.notifications.get(type.method);
    if (!subscribers) {
      subscribers = { type, handlers: new Set() };
      this.notifications.set(type.method, subscribers);
      if (this.current) {
        DaemonSupervisor.listen(this.current.connection, subscribers);
      }
    }
    const handlers = subscribers.handlers;
    const untyped = handler as (params: unknown) => void;
    handlers.add(untyped);
    return Disposable.create(() => handlers.delete(untyped));
  }

  private static listen(connection: MessageConnection, subscribers: NotificationSubscribers): void {
    connection.onNotification(subscribers.type, (params) => {
      for (const handler of [...subscribers.handlers]) {
        handler(params);
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    this.clearRestartTimer();
    const running = this.current;
    if (running && !running.exited) {
      running.stopping = true;
      running.connection.dispose();
      running.child.kill('SIGTERM');
    }
    this.stateEmitter.dispose();
  }

  private launch(): void {
    this.restartTimer = undefined;
    let launch: DaemonLaunch;
    try {
      launch = this.options.launch();
    } catch (error) {
      const hint = error instanceof DaemonNotFoundError ? error.hint : 'Check the DevSpaces output for details.';
      this.giveUp(error instanceof Error ? error.message : String(error), hint);
      return;
    }

    const generation = ++this.generation;
    this.setState({ kind: 'starting', attempt: this.backoff.attempts + 1 });
    this.options.log.info(`Starting the DevSpaces daemon: ${launch.command} ${launch.args.join(' ')}`);
    const child = cp.spawn(launch.command, [...launch.args], {
      cwd: launch.cwd,
      env: launch.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout),
      new DaemonStdinWriter(child.stdin),
    );
    let resolveExit!: () => void;
    const running: Running = {
      generation,
      child,
      connection,
      startedAt: Date.now(),
      inFlight: new Set(),
      lastLines: [],
      initialized: false,
      exited: false,
      stopping: false,
      exit: new Promise<void>((resolve) => (resolveExit = resolve)),
    };
    this.current = running;

    // stdin errors (EPIPE after a crash) are reported through the exit handler.
    child.stdin.on('error', () => undefined);
    const stderrEnded = new Promise<void>((resolve) => child.stderr.once('close', resolve));
    let level: keyof Logger = 'info';
    forwardLines(child.stderr, (line) => {
      const parsed = parseDaemonLogLine(line, level);
      level = parsed.level;
      this.options.log[parsed.level](`[daemon] ${parsed.message}`);
      running.exitReason = exitReasonOf(line) ?? running.exitReason;
      running.lastLines.push(parsed.message);
      running.lastLines.splice(0, running.lastLines.length - 3);
    });
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
      // 'exit' does not follow a failed spawn, so the spawn failure ends this process here. Starting it again
      // would fail the same way (missing file, no permission): the user has to act.
      if (child.pid === undefined) {
        this.onExit(running, `could not be started (${error.message})`, true);
        resolveExit();
      }
    });
    child.on('exit', (code, signal) => {
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      // The daemon's last words (why it exits) may still be in the stderr pipe: read them first, briefly.
      void withTimeout(stderrEnded, 500).then(() => {
        const said = running.exitReason && code !== 0 ? ` (${running.exitReason})` : '';
        this.onExit(running, spawnError ? `${how} (${spawnError.message})` : `${how}${said}`);
        resolveExit();
      });
    });
    connection.onError(([error]) => this.options.log.warn(`Daemon connection error: ${error.message}`));
    for (const subscribers of this.notifications.values()) {
      DaemonSupervisor.listen(connection, subscribers);
    }
    connection.listen();

    this.options.initialize(connection).then(
      (version) => {
        if (this.current === running && !running.exited) {
          running.initialized = true;
          this.failedStarts = 0;
          this.options.log.info(`DevSpaces daemon ${version} is ready (pid ${child.pid}).`);
          this.setState({ kind: 'running', version, pid: child.pid });
        }
      },
      (error: unknown) => {
        if (this.current === running && !running.exited) {
          const message = error instanceof Error ? error.message : String(error);
          this.options.log.error(`The DevSpaces daemon did not answer 'initialize': ${message}`);
          child.kill('SIGKILL');
        }
      },
    );
  }

  private onExit(running: Running, how: string, cannotStart = false): void {
    if (running.exited) {
      return;
    }
    running.exited = true;
    running.connection.dispose();
    const failure = new DaemonUnavailableError(
      `The DevSpaces daemon ${how} while handling this request.`,
      'It is restarted automatically; run the command again once the status bar shows the space.',
    );
    for (const reject of running.inFlight) {
      reject(failure);
    }
    running.inFlight.clear();
    if (this.current !== running) {
      return;
    }
    this.current = undefined;
    if (running.stopping || this.disposed) {
      this.options.log.info(`The DevSpaces daemon ${how}.`);
      return;
    }
    const command = running.child.spawnfile;
    if (cannotStart) {
      this.giveUp(`The DevSpaces daemon ${command} ${how}.`, daemonPathHint);
      return;
    }
    if (!running.initialized && ++this.failedStarts >= (this.options.maxFailedStarts ?? 3)) {
      const said = running.lastLines.length > 0 ? `: ${running.lastLines.join(' ')}` : '';
      this.giveUp(`The DevSpaces daemon ${command} ${how} as soon as it started, ${this.failedStarts} times in a row${said}`, daemonPathHint);
      return;
    }
    const upTime = Date.now() - running.startedAt;
    const delayMs = this.backoff.next(upTime);
    const reason = `The DevSpaces daemon ${how}`;
    this.options.log.warn(`${reason}; restarting in ${formatDelay(delayMs)} (attempt ${this.backoff.attempts}).`);
    this.setState({ kind: 'restarting', reason, delayMs, attempt: this.backoff.attempts });
    this.restartTimer = setTimeout(() => this.launch(), delayMs);
  }

  private async stopCurrent(): Promise<void> {
    const running = this.current;
    if (!running || running.exited) {
      return;
    }
    running.stopping = true;
    const timeoutMs = this.options.stopTimeoutMs ?? 3000;
    if (this.stateValue.kind === 'running') {
      await withTimeout(this.options.shutdown(running.connection).catch(() => undefined), timeoutMs);
    }
    running.connection.dispose();
    running.child.stdin?.end();
    if (!(await withTimeout(running.exit, timeoutMs))) {
      running.child.kill('SIGTERM');
      if (!(await withTimeout(running.exit, timeoutMs))) {
        running.child.kill('SIGKILL');
        await running.exit;
      }
    }
  }

  /** The giving up on a daemon that cannot start: restarting would fail the same way, so the user is told. */
  private giveUp(reason: string, hint: string): void {
    this.options.log.error(`${reason} ${hint}`);
    this.setState({ kind: 'unavailable', reason, hint });
  }

  // Failures name what the user knows (the daemon, its state), never the RPC method.
  private async whenReady(): Promise<Running> {
    const running = this.current;
    if (this.stateValue.kind === 'running' && running && !running.exited) {
      return running;
    }
    if (this.stateValue.kind === 'idle' && !this.disposed) {
      this.start();
    }
    const state = this.stateValue;
    if (state.kind === 'unavailable') {
      throw new DaemonUnavailableError(state.reason, state.hint);
    }
    if (state.kind === 'stopped' || this.disposed) {
      throw new DaemonUnavailableError('The DevSpaces daemon is stopped.', "Run 'DevSpaces: Restart Daemon' to start it.");
    }
    const timeoutMs = this.options.readyTimeoutMs ?? 30_000;
    return new Promise<Running>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(
          new DaemonUnavailableError(
            `The DevSpaces daemon was not ready within ${formatDelay(timeoutMs)}.`,
            "See 'DevSpaces: Show Output' for why it does not start.",
          ),
        );
      }, timeoutMs);
      const subscription = this.onDidChangeState((next) => {
        if (next.kind === 'running' && this.current) {
          clearTimeout(timer);
          subscription.dispose();
          resolve(this.current);
        } else if (next.kind === 'unavailable' || next.kind === 'stopped') {
          clearTimeout(timer);
          subscription.dispose();
          reject(
            new DaemonUnavailableError(
              next.kind === 'unavailable' ? next.reason : 'The DevSpaces daemon stopped.',
              next.kind === 'unavailable' ? next.hint : "Run 'DevSpaces: Restart Daemon' to start it.",
            ),
          );
        }
      });
    });
  }

  private setState(state: DaemonState): void {
    this.stateValue = state;
    if (!this.disposed) {
      this.stateEmitter.fire(state);
    }
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
    }
  }
}

const daemonPathHint =
  "Reinstall the DevSpaces extension for this platform, or set 'devspaces.daemonPath' to a devspaces executable that runs here; the DevSpaces output has the daemon's own words.";

export function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** The reason in the daemon's "daemon exiting: <reason>" log line, if this is that line. */
export function exitReasonOf(line: string): string | undefined {
  const marker = 'daemon exiting: ';
  const at = line.indexOf(marker);
  return at < 0 ? undefined : line.slice(at + marker.length).trim();
}

function forwardLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.length > 0) {
        onLine(line);
      }
    }
  });
  stream.on('end', () => {
    if (pending.length > 0) {
      onLine(pending);
    }
  });
}
