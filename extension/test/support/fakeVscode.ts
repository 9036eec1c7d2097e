// A stand-in for the `vscode` module in unit tests: the API surface the extension uses, with
// scripted user answers and records of what was shown. Importing this file installs it as
// `vscode` for every later `require('vscode')`, so import it before any extension module.
import { Module } from 'node:module';

type Listener<T> = (event: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class CancellationError extends Error {}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class RelativePattern {
  constructor(
    readonly base: string,
    readonly pattern: string,
  ) {}
}

/** A file watcher the test fires by hand (`recorded.watchers`). */
export class FakeFileSystemWatcher {
  readonly created = new EventEmitter<unknown>();
  readonly changed = new EventEmitter<unknown>();
  readonly deleted = new EventEmitter<unknown>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  constructor(readonly pattern: RelativePattern) {}
  dispose(): void {}
}
export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  iconPath?: ThemeIcon;
  contextValue?: string;
  constructor(
    readonly label: string,
    readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export class FakeStatusBarItem {
  text = '';
  tooltip: string | undefined;
  name: string | undefined;
  command: string | undefined;
  backgroundColor: ThemeColor | undefined;
  accessibilityInformation: { label: string } | undefined;
  visible = false;
  disposed = false;
  constructor(
    readonly id: string,
    readonly alignment: StatusBarAlignment,
    readonly priority: number,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export interface ShownMessage {
  readonly severity: 'info' | 'warning' | 'error';
  readonly text: string;
  readonly actions: string[];
  readonly modal: boolean;
}

export interface QuickPickCall {
  readonly items: { label: string; description?: string; kind?: number }[];
  readonly options: { placeHolder?: string } | undefined;
}

/** What the fake user answers; each queue is consumed in order, an empty queue cancels. */
export interface ScriptedUser {
  quickPick: ((items: QuickPickCall['items']) => unknown)[];
  inputBox: string[];
  messageAnswers: (string | undefined)[];
}

export class FakeLogChannel {
  readonly lines: string[] = [];
  shown = false;
  constructor(readonly name: string) {}
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  trace(message: string): void {
    this.lines.push(`trace ${message}`);
  }
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  appendLine(message: string): void {
    this.lines.push(message);
  }
  show(): void {
    this.shown = true;
  }
  dispose(): void {}
}

export interface InputBoxCall {
  readonly options: { value?: string; validateInput?: (value: string) => string | undefined };
  readonly validation: string | undefined;
}

/** Everything the fake records; reset between tests with `resetFake()`. */
export const recorded = {
  statusBarItems: [] as FakeStatusBarItem[],
  messages: [] as ShownMessage[],
  quickPicks: [] as QuickPickCall[],
  inputBoxes: [] as InputBoxCall[],
  progress: [] as { title: string }[],
  progressShown: new EventEmitter<string>(),
  channels: [] as FakeLogChannel[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as string[],
  treeProviders: new Map<string, unknown>(),
  user: { quickPick: [], inputBox: [], messageAnswers: [] } as ScriptedUser,
  configuration: new Map<string, unknown>(),
  workspaceFolders: undefined as { uri: { scheme: string; fsPath: string } }[] | undefined,
  openedExternally: [] as string[],
  clipboard: [] as string[],
  statusBarMessages: [] as string[],
  debugProviders: new Map<string, unknown>(),
  startedDebugging: [] as { folder: unknown; configuration: unknown }[],
  shownDocuments: [] as string[],
  watchers: [] as FakeFileSystemWatcher[],
};

export function resetFake(): void {
  recorded.statusBarItems.length = 0;
  recorded.messages.length = 0;
  recorded.quickPicks.length = 0;
  recorded.inputBoxes.length = 0;
  recorded.progress.length = 0;
  recorded.channels.length = 0;
  recorded.commands.clear();
  recorded.executed.length = 0;
  recorded.treeProviders.clear();
  recorded.user = { quickPick: [], inputBox: [], messageAnswers: [] };
  recorded.configuration.clear();
  recorded.workspaceFolders = undefined;
  recorded.openedExternally.length = 0;
  recorded.clipboard.length = 0;
  recorded.statusBarMessages.length = 0;
  recorded.debugProviders.clear();
  recorded.startedDebugging.length = 0;
  recorded.shownDocuments.length = 0;
  recorded.watchers.length = 0;
}

function showMessage(severity: ShownMessage['severity'], text: string, ...rest: unknown[]): Promise<string | undefined> {
  const modal = typeof rest[0] === 'object' && rest[0] !== null && (rest[0] as { modal?: boolean }).modal === true;
  const actions = rest.filter((item): item is string => typeof item === 'string');
  recorded.messages.push({ severity, text, actions, modal });
  return Promise.resolve(recorded.user.messageAnswers.shift());
}

export const window = {
  createStatusBarItem(id: string, alignment: StatusBarAlignment, priority: number): FakeStatusBarItem {
    const item = new FakeStatusBarItem(id, alignment, priority);
    recorded.statusBarItems.push(item);
    return item;
  },
  createOutputChannel(name: string): FakeLogChannel {
    const channel = new FakeLogChannel(name);
    recorded.channels.push(channel);
    return channel;
  },
  showInformationMessage: (text: string, ...rest: unknown[]) => showMessage('info', text, ...rest),
  showWarningMessage: (text: string, ...rest: unknown[]) => showMessage('warning', text, ...rest),
  showErrorMessage: (text: string, ...rest: unknown[]) => showMessage('error', text, ...rest),
  showQuickPick(items: QuickPickCall['items'], options?: { placeHolder?: string }): Promise<unknown> {
    recorded.quickPicks.push({ items, options });
    const answer = recorded.user.quickPick.shift();
    return Promise.resolve(answer ? answer(items) : undefined);
  },
  showInputBox(options: InputBoxCall['options']): Promise<string | undefined> {
    const answer = recorded.user.inputBox.shift();
    recorded.inputBoxes.push({
      options,
      validation: answer === undefined ? undefined : options.validateInput?.(answer),
    });
    return Promise.resolve(answer);
  },
  async withProgress<T>(
    options: { title: string },
    task: (progress: { report(): void }, token: { onCancellationRequested: (l: () => void) => Disposable }) => Promise<T>,
  ): Promise<T> {
    recorded.progress.push({ title: options.title });
    recorded.progressShown.fire(options.title);
    return task({ report: () => undefined }, { onCancellationRequested: () => new Disposable() });
  },
  setStatusBarMessage(text: string): Disposable {
    recorded.statusBarMessages.push(text);
    return new Disposable();
  },
  showTextDocument(uri: Uri): Promise<unknown> {
    recorded.shownDocuments.push(uri.fsPath);
    return Promise.resolve({});
  },
  showOpenDialog(): Promise<Uri[] | undefined> {
    return Promise.resolve(undefined);
  },
  registerTreeDataProvider(id: string, provider: unknown): Disposable {
    recorded.treeProviders.set(id, provider);
    return new Disposable(() => recorded.treeProviders.delete(id));
  },
};

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown): Disposable {
    recorded.commands.set(id, handler);
    return new Disposable(() => recorded.commands.delete(id));
  },
  async executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    recorded.executed.push(id);
    const handler = recorded.commands.get(id);
    return handler ? await handler(...args) : undefined;
  },
};

const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

export const workspace = {
  getConfiguration(section: string) {
    return { get: <T>(key: string): T | undefined => recorded.configuration.get(`${section}.${key}`) as T | undefined };
  },
  get workspaceFolders() {
    return recorded.workspaceFolders;
  },
  onDidChangeConfiguration: configurationChanged.event,
  textDocuments: [] as unknown[],
  onDidOpenTextDocument: () => new Disposable(),
  onDidChangeTextDocument: () => new Disposable(),
  onDidSaveTextDocument: () => new Disposable(),
  onDidCloseTextDocument: () => new Disposable(),
  createFileSystemWatcher(pattern: RelativePattern): FakeFileSystemWatcher {
    const watcher = new FakeFileSystemWatcher(pattern);
    recorded.watchers.push(watcher);
    return watcher;
  },
};

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
}
export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}
export class Diagnostic {
  source?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: DiagnosticSeverity,
  ) {}
}
export const languages = {
  createDiagnosticCollection(name: string) {
    const entries = new Map<string, Diagnostic[]>();
    return {
      name,
      set: (uri: Uri, diagnostics: Diagnostic[]) => entries.set(uri.toString(), diagnostics),
      delete: (uri: Uri) => entries.delete(uri.toString()),
      dispose: () => entries.clear(),
    };
  },
};

export class Uri {
  private constructor(
    private readonly text: string,
    readonly scheme = text.split(':')[0] ?? '',
    readonly fsPath = '',
  ) {}
  static parse(text: string): Uri {
    return new Uri(text);
  }
  static file(fsPath: string): Uri {
    return new Uri(`file://${fsPath}`, 'file', fsPath);
  }
  toString(): string {
    return this.text;
  }
}

export const env = {
  openExternal(uri: Uri): Promise<boolean> {
    recorded.openedExternally.push(uri.toString());
    return Promise.resolve(true);
  },
  clipboard: {
    writeText(text: string): Promise<void> {
      recorded.clipboard.push(text);
      return Promise.resolve();
    },
  },
};

export const debug = {
  registerDebugConfigurationProvider(type: string, provider: unknown): Disposable {
    recorded.debugProviders.set(type, provider);
    return new Disposable(() => recorded.debugProviders.delete(type));
  },
  startDebugging(folder: unknown, configuration: unknown): Promise<boolean> {
    recorded.startedDebugging.push({ folder, configuration });
    return Promise.resolve(true);
  },
  onDidTerminateDebugSession(): Disposable {
    return new Disposable(() => undefined);
  },
};

export const version = '1.90.0-fake';

const fake = {
  Disposable,
  EventEmitter,
  CancellationError,
  ThemeColor,
  ThemeIcon,
  RelativePattern,
  StatusBarAlignment,
  TreeItemCollapsibleState,
  ProgressLocation,
  QuickPickItemKind,
  TreeItem,
  DiagnosticSeverity,
  Range,
  Diagnostic,
  languages,
  window,
  commands,
  workspace,
  version,
  Uri,
  env,
  debug,
};

// Resolve `vscode` to this module for everything loaded after it.
type Resolver = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolver };
const resolve = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
const cached = new Module('vscode');
cached.loaded = true;
cached.exports = fake;
require.cache['vscode'] = cached;
