import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** A project in the workspace folder that DevSpaces can write a launch configuration for. */
export interface DetectedProject {
  readonly kind: 'dotnet' | 'node' | 'java';
  /** Short, for the configuration's name: ".NET", "Node.js", "Java". */
  readonly label: string;
  /** What was found, relative to the folder (e.g. "src/Api/Api.csproj"), for the pick. */
  readonly source: string;
  /** The launch configuration without name, marker and environment. */
  readonly launch: { type: string; request: string; [property: string]: unknown };
  /** A build task the configuration runs first (`preLaunchTask`), for .NET. */
  readonly buildTask?: { label: string; [property: string]: unknown };
}

const skippedFolders = new Set(['node_modules', 'bin', 'obj', 'out', 'dist', 'build', 'target', '.git', '.vscode', '.devspaces', '.gradle', '.idea']);

/**
 * The projects of a workspace folder, looked for in the folder and two levels below it: .NET (`*.csproj`),
 * Node.js (`package.json`) and Java (`pom.xml`, `build.gradle`, or sources with a `main` method).
 */
export async function detectProjects(folder: string): Promise<DetectedProject[]> {
  const files = await listFiles(folder, 3);
  const found: DetectedProject[] = [];
  for (const csproj of files.filter((f) => f.endsWith('.csproj')).sort(byDepth)) {
    found.push(await dotnetProject(folder, csproj));
  }
  for (const manifest of files.filter((f) => path.basename(f) === 'package.json').sort(byDepth)) {
    const project = await nodeProject(folder, manifest);
    if (project) {
      found.push(project);
    }
  }
  const java = await javaProject(folder, files);
  if (java) {
    found.push(java);
  }
  return found;
}

const byDepth = (a: string, b: string): number => a.split('/').length - b.split('/').length || a.localeCompare(b);

/** Relative paths (with '/') of the files up to `depth` folders deep, skipping build output and dependencies. */
async function listFiles(root: string, depth: number, relative = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isFile()) {
      files.push(child);
    } else if (entry.isDirectory() && depth > 0 && !skippedFolders.has(entry.name)) {
      files.push(...(await listFiles(root, depth - 1, child)));
    }
  }
  return files;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const workspacePath = (relative: string): string => (relative === '' || relative === '.' ? '${workspaceFolder}' : `\${workspaceFolder}/${relative}`);

function xmlElement(text: string | undefined, name: string): string | undefined {
  const match = text === undefined ? null : new RegExp(`<${name}>\\s*([^<]+?)\\s*</${name}>`).exec(text);
  return match?.[1];
}

/** A coreclr launch of the built dll, with a build task before it (F5 builds, then debugs). */
async function dotnetProject(folder: string, csproj: string): Promise<DetectedProject> {
  const dir = path.posix.dirname(csproj);
  const text = await readText(path.join(folder, csproj));
  let framework = xmlElement(text, 'TargetFramework') ?? xmlElement(text, 'TargetFrameworks')?.split(';')[0];
  // SDK projects often take the framework from a Directory.Build.props in their folder or above.
  for (let current = dir; !framework; current = path.posix.dirname(current)) {
    const props = await readText(path.join(folder, current, 'Directory.Build.props'));
    framework = xmlElement(props, 'TargetFramework') ?? xmlElement(props, 'TargetFrameworks')?.split(';')[0];
    if (current === '.' || current === '') {
      break;
    }
  }
  const assembly = xmlElement(text, 'AssemblyName') ?? path.posix.basename(csproj, '.csproj');
  const projectDir = dir === '.' ? '' : dir;
  const task = `DevSpaces: build ${path.posix.basename(csproj, '.csproj')}`;
  return {
    kind: 'dotnet',
    label: '.NET',
    source: csproj,
    launch: {
      type: 'coreclr',
      request: 'launch',
      preLaunchTask: task,
      program: `${workspacePath(projectDir)}/bin/Debug/${framework ?? 'net10.0'}/${assembly}.dll`,
      args: [],
      cwd: workspacePath(projectDir),
      console: 'internalConsole',
      stopAtEntry: false,
    },
    buildTask: {
      label: task,
      type: 'process',
      command: 'dotnet',
      args: ['build', `\${workspaceFolder}/${csproj}`, '-c', 'Debug', '/property:GenerateFullPaths=true', '/consoleloggerparameters:NoSummary'],
      problemMatcher: '$msCompile',
      group: 'build',
    },
  };
}

/** A node launch of the package's entry point; `npm start` when only a start script says how it runs. */
async function nodeProject(folder: string, manifest: string): Promise<DetectedProject | undefined> {
  const dir = path.posix.dirname(manifest);
  const projectDir = dir === '.' ? '' : dir;
  let pkg: { main?: unknown; scripts?: { start?: unknown } };
  try {
    pkg = JSON.parse((await readText(path.join(folder, manifest))) ?? '') as typeof pkg;
  } catch {
    return undefined;
  }
  const start = typeof pkg.scripts?.start === 'string' ? pkg.scripts.start : undefined;
  const candidates = [
    typeof pkg.main === 'string' ? pkg.main : undefined,
    start ? /^node\s+(?:--?\S+\s+)*([^\s-][^\s]*)/.exec(start)?.[1] : undefined,
    'index.js',
    'server.js',
    'app.js',
    'src/index.js',
    'src/server.js',
  ];
  // outputCapture: what the app writes to stdout reaches the Debug Console (by default only the inspector's console).
  const common = { type: 'node', request: 'launch', cwd: workspacePath(projectDir), skipFiles: ['<node_internals>/**'], outputCapture: 'std' };
  for (const candidate of candidates) {
    if (!candidate) {
      continue;
    }
    const program = path.posix.normalize(path.posix.join(projectDir, candidate));
    if (await isFile(path.join(folder, program))) {
      return { kind: 'node', label: 'Node.js', source: manifest, launch: { ...common, program: `\${workspaceFolder}/${program}` } };
    }
  }
  if (start) {
    return {
      kind: 'node',
      label: 'Node.js',
      source: manifest,
      launch: { ...common, runtimeExecutable: 'npm', runtimeArgs: ['run-script', 'start'] },
    };
  }
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** A java launch of the class with a `main` method (the Java debugger builds the project itself). */
async function javaProject(folder: string, shallowFiles: string[]): Promise<DetectedProject | undefined> {
  const build = shallowFiles.find((f) => ['pom.xml', 'build.gradle', 'build.gradle.kts'].includes(path.basename(f)));
  const sources = (await listFiles(folder, 10)).filter((f) => f.endsWith('.java')).sort(byDepth);
  if (!build && sources.length === 0) {
    return undefined;
  }
  let mainClass: string | undefined;
  for (const source of sources.slice(0, 500)) {
    const text = (await readText(path.join(folder, source))) ?? '';
    if (/public\s+static\s+void\s+main\s*\(/.test(text)) {
      const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
      const name = path.posix.basename(source, '.java');
      mainClass = pkg ? `${pkg}.${name}` : name;
      break;
    }
  }
  return {
    kind: 'java',
    label: 'Java',
    source: build ?? sources[0] ?? '',
    launch: { type: 'java', request: 'launch', mainClass: mainClass ?? '${file}', cwd: '${workspaceFolder}' },
  };
}
