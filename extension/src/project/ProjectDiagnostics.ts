import { DaemonClient } from '../daemon/DaemonClient';
import { Logger } from '../daemon/Logger';
import * as rpc from '../protocol/methods';
import { ProblemRange, isProjectFile, toProblemRange } from './problemRanges';

/** An open editor document as the checks see it. */
export interface CheckedDocument {
  /** Identifies the document (its URI). */
  readonly key: string;
  /** Absolute path on disk. */
  readonly path: string;
  getText(): string;
}

/** Where the problems go: VS Code's DiagnosticCollection, behind this seam for tests. */
export interface ProblemSink {
  set(key: string, problems: readonly ProblemRange[]): void;
  clear(key: string): void;
}

/**
 * The daemon checks devspaces.yaml as a language server would: the document's text goes to `project/check` when it
 * opens, is saved, and (debounced) as it is typed; the answer replaces the document's problems. An answer that
 * arrives after a newer check was sent is dropped, so the panel never goes back to an older text.
 */
export class ProjectDiagnostics {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly sent = new Map<string, number>();
  private sequence = 0;

  constructor(
    private readonly daemon: DaemonClient,
    private readonly sink: ProblemSink,
    private readonly log: Logger,
    private readonly delayMs = 300,
  ) {}

  opened(document: CheckedDocument): void {
    if (isProjectFile(document.path)) {
      void this.check(document);
    }
  }

  changed(document: CheckedDocument): void {
    if (!isProjectFile(document.path)) {
      return;
    }
    this.cancelTimer(document.key);
    this.timers.set(
      document.key,
      setTimeout(() => {
        this.timers.delete(document.key);
        void this.check(document);
      }, this.delayMs),
    );
  }

  saved(document: CheckedDocument): void {
    if (isProjectFile(document.path)) {
      this.cancelTimer(document.key);
      void this.check(document);
    }
  }

  closed(document: CheckedDocument): void {
    this.cancelTimer(document.key);
    this.sent.delete(document.key);
    this.sink.clear(document.key);
  }

  /** Checks the given documents again, e.g. after the daemon restarted. */
  recheck(documents: readonly CheckedDocument[]): void {
    for (const document of documents) {
      this.opened(document);
    }
  }

  /** Resolves when the check's answer is shown (or dropped); never rejects. */
  async check(document: CheckedDocument): Promise<void> {
    const id = ++this.sequence;
    this.sent.set(document.key, id);
    try {
      const result = await this.daemon.request(rpc.CheckProject.type, { path: document.path, text: document.getText() });
      if (this.sent.get(document.key) === id) {
        this.sink.set(document.key, result.problems.map(toProblemRange));
      }
    } catch (error) {
      this.log.warn(`Could not check ${document.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }
}
