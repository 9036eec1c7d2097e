import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { applyEdits, FormattingOptions, modify, parse, ParseError, printParseErrorCode } from 'jsonc-parser';
import { ConnectMarker, LaunchConfiguration, legacyMarkerProperty, markerVariables, withMarker } from './launchConfiguration';

/**
 * Edits of `.vscode/launch.json` and `.vscode/tasks.json` as text, with jsonc-parser: only the entry concerned
 * changes, so comments, other entries and their formatting stay as they were.
 */

/** A launch.json or tasks.json that cannot be edited without losing what is in it. */
export class JsonFileError extends Error {}

interface Collection {
  readonly file: string;
  readonly key: 'configurations' | 'tasks';
  readonly identity: 'name' | 'label';
  readonly skeleton: string;
}

const launchCollection = (folder: string): Collection => ({
  file: path.join(folder, '.vscode', 'launch.json'),
  key: 'configurations',
  identity: 'name',
  skeleton: '{\n    "version": "0.2.0",\n    "configurations": []\n}\n',
});

const tasksCollection = (folder: string): Collection => ({
  file: path.join(folder, '.vscode', 'tasks.json'),
  key: 'tasks',
  identity: 'label',
  skeleton: '{\n    "version": "2.0.0",\n    "tasks": []\n}\n',
});

/** The configurations of the folder's launch.json (none when it does not exist). */
export async function readLaunchConfigurations(folder: string): Promise<LaunchConfiguration[]> {
  const collection = launchCollection(folder);
  const text = await readOptional(collection.file);
  return text === undefined ? [] : entries(text, collection).filter(isLaunchConfiguration);
}

/** Adds the configuration to launch.json (creating it), or replaces the one with the same name. */
export async function saveLaunchConfiguration(folder: string, configuration: LaunchConfiguration): Promise<void> {
  await upsertFile(launchCollection(folder), configuration);
}

/** Adds the task to tasks.json (creating it), or replaces the one with the same label. */
export async function saveTask(folder: string, task: { label: string; [property: string]: unknown }): Promise<void> {
  await upsertFile(tasksCollection(folder), task);
}

/** Adds the marker, the environment file and the port variables to the configuration named `name`. */
export async function markLaunchConfiguration(folder: string, name: string, marker: ConnectMarker): Promise<void> {
  const collection = launchCollection(folder);
  const text = await readOptional(collection.file);
  if (text === undefined) {
    throw new JsonFileError(`${collection.file} does not exist, so it has no configuration '${name}'.`);
  }
  await writeText(collection.file, markConfigurationText(text, name, marker, collection.file));
}

/** `text` with `entry` added to the array at `key`, or replacing the entry with the same name/label. */
export function upsertEntryText(text: string | undefined, entry: Record<string, unknown>, kind: 'launch' | 'tasks', file = kind === 'launch' ? 'launch.json' : 'tasks.json'): string {
  const collection = kind === 'launch' ? launchCollection('.') : tasksCollection('.');
  return upsert(text, { ...collection, file }, entry);
}

/** `text` (a launch.json) with the configuration named `name` marked as connected; everything else is kept. */
export function markConfigurationText(text: string, name: string, marker: ConnectMarker, file = 'launch.json'): string {
  const collection = { ...launchCollection('.'), file };
  const list = entries(text, collection);
  const index = list.findIndex((c) => c.name === name);
  const existing = list[index];
  if (!existing || !isLaunchConfiguration(existing)) {
    throw new JsonFileError(`${file} has no launch configuration named '${name}'.`);
  }
  const marked = withMarker(existing, marker);
  const options = formatting(text);
  let result = text;
  const set = (propertyPath: (string | number)[], value: unknown): void => {
    result = applyEdits(result, modify(result, propertyPath, value, { formattingOptions: options }));
  };
  set(['configurations', index, 'envFile'], marked.envFile);
  if (marked.outputCapture !== existing.outputCapture) {
    set(['configurations', index, 'outputCapture'], marked.outputCapture);
  }
  const env = marked.env as Record<string, string>;
  const existingEnv = existing.env;
  if (typeof existingEnv === 'object' && existingEnv !== null && !Array.isArray(existingEnv)) {
    // Key by key, so comments among the user's variables stay.
    for (const [key, value] of Object.entries(env)) {
      if ((existingEnv as Record<string, unknown>)[key] !== value) {
        set(['configurations', index, 'env', key], value);
      }
    }
    if (markerVariables.container in existingEnv && !(markerVariables.container in env)) {
      set(['configurations', index, 'env', markerVariables.container], undefined);
    }
  } else {
    set(['configurations', index, 'env'], env);
  }
  if (legacyMarkerProperty in existing) {
    set(['configurations', index, legacyMarkerProperty], undefined);
  }
  return result;
}

function upsert(text: string | undefined, collection: Collection, entry: Record<string, unknown>): string {
  const source = text === undefined || text.trim() === '' ? collection.skeleton : text;
  const root = parseChecked(source, collection.file);
  const options = { formattingOptions: formatting(source) };
  const list = (root as Record<string, unknown>)[collection.key];
  if (!Array.isArray(list)) {
    return applyEdits(source, modify(source, [collection.key], [entry], options));
  }
  const index = list.findIndex((item) => typeof item === 'object' && item !== null && (item as Record<string, unknown>)[collection.identity] === entry[collection.identity]);
  const edits =
    index >= 0
      ? modify(source, [collection.key, index], entry, options)
      : modify(source, [collection.key, -1], entry, { ...options, isArrayInsertion: true });
  return applyEdits(source, edits);
}

async function upsertFile(collection: Collection, entry: Record<string, unknown>): Promise<void> {
  const text = await readOptional(collection.file);
  await writeText(collection.file, upsert(text, collection, entry));
}

function entries(text: string, collection: Collection): Record<string, unknown>[] {
  const root = parseChecked(text, collection.file);
  const list = (root as Record<string, unknown>)[collection.key];
  return Array.isArray(list) ? list.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
}

function isLaunchConfiguration(item: Record<string, unknown>): item is LaunchConfiguration {
  return typeof item.name === 'string' && typeof item.type === 'string' && typeof item.request === 'string';
}

function parseChecked(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    throw new JsonFileError(`${file} has a syntax error on line ${line} (${printParseErrorCode(first.error)}); fix it and try again, nothing was changed.`);
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new JsonFileError(`${file} does not hold a JSON object; fix it and try again, nothing was changed.`);
  }
  return root;
}

/** The file's own indentation and line ends, so inserted entries look like their neighbours. */
function formatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indented = /\n([ \t]+)\S/.exec(text)?.[1];
  if (indented?.startsWith('\t')) {
    return { insertSpaces: false, tabSize: 4, eol };
  }
  return { insertSpaces: true, tabSize: indented ? indented.length : 4, eol };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

async function writeText(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text, 'utf8');
}
