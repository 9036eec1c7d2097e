import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { markerProblem, newConfiguration, readMarker, withMarker } from '../../src/connect/launchConfiguration';
import {
  JsonFileError,
  markConfigurationText,
  markLaunchConfiguration,
  readLaunchConfigurations,
  saveLaunchConfiguration,
  saveTask,
  upsertEntryText,
} from '../../src/connect/launchJson';
import { DetectedProject, detectProjects } from '../../src/connect/projectDetection';

let folder: string;
beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-launch-'));
});
afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

function write(relative: string, text: string): void {
  const file = path.join(folder, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const nodeProject: DetectedProject = {
  kind: 'node',
  label: 'Node.js',
  source: 'package.json',
  launch: { type: 'node', request: 'launch', program: '${workspaceFolder}/server.js' },
};

const userLaunchJson = `{
  // Shared with the team: keep these comments.
  "version": "0.2.0",
  "configurations": [
    {
      "name": "Run api",
      "type": "node",
      "request": "launch",
      "program": "\${workspaceFolder}/server.js",
      "env": {
        // Turns on verbose logging.
        "DEBUG": "api:*"
      }
    },
    /* Attach to a running process. */
    {
      "name": "Attach",
      "type": "node",
      "request": "attach",
      "port": 9229,
    },
  ]
}
`;

describe('Launch configurations', () => {
  it('A_Created_Configuration_Runs_The_Project_On_The_Local_Port_With_The_Env_File_And_The_Marker', () => {
    const configuration = newConfiguration(nodeProject, { service: 'api', localPort: 5000 });
    assert.deepEqual(configuration, {
      name: 'DevSpaces: api (Node.js)',
      type: 'node',
      request: 'launch',
      program: '${workspaceFolder}/server.js',
      outputCapture: 'std',
      envFile: '${workspaceFolder}/.devspaces/connect-api.env',
      env: { PORT: '5000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' },
    });
  });

  it('A_DotNet_Configuration_Also_Sets_The_AspNetCore_Urls_To_The_Local_Port', () => {
    const configuration = withMarker({ name: 'api', type: 'coreclr', request: 'launch', env: { Logging__LogLevel__Default: 'Debug' } }, { service: 'api', localPort: 5001, container: 'api' });
    assert.deepEqual(configuration.env, {
      Logging__LogLevel__Default: 'Debug',
      PORT: '5001',
      ASPNETCORE_URLS: 'http://localhost:5001',
      DEVSPACES_SERVICE: 'api',
      DEVSPACES_LOCAL_PORT: '5001',
      DEVSPACES_CONTAINER: 'api',
    });
    assert.equal(configuration.outputCapture, undefined, 'only Node.js configurations capture stdout');
    assert.deepEqual(readMarker(configuration), { service: 'api', localPort: 5001, container: 'api' });
  });

  it('A_Malformed_Marker_Is_Not_Used_And_Says_What_Is_Expected', () => {
    assert.equal(readMarker({ env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '70000' } }), undefined);
    assert.equal(readMarker({ env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: 'x' } }), undefined);
    assert.deepEqual(readMarker({ env: { DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '80', DEVSPACES_CONTAINER: '' } }), { service: 'api', localPort: 80 });
    assert.match(markerProblem({ name: 'Run api', env: { DEVSPACES_SERVICE: 'api' } }) ?? '', /'Run api' names a service in "env" \(DEVSPACES_SERVICE\) but no local port: set DEVSPACES_LOCAL_PORT .*\(1-65535\)/);
    assert.equal(markerProblem({ name: 'Plain', env: { PORT: '80' } }), undefined, 'a configuration without the marker is fine');
  });

  it('Creating_Into_A_Folder_Without_Launch_Json_Writes_A_Fresh_File', async () => {
    await saveLaunchConfiguration(folder, newConfiguration(nodeProject, { service: 'api', localPort: 5000 }));
    const written = JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8')) as { version: string; configurations: { name: string }[] };
    assert.equal(written.version, '0.2.0');
    assert.deepEqual(written.configurations.map((c) => c.name), ['DevSpaces: api (Node.js)']);
    assert.deepEqual((await readLaunchConfigurations(folder)).map((c) => c.name), ['DevSpaces: api (Node.js)']);
  });

  it('Creating_Keeps_Comments_And_The_Other_Configurations_And_Appends_With_The_Files_Indentation', () => {
    const text = upsertEntryText(userLaunchJson, newConfiguration(nodeProject, { service: 'api', localPort: 5000 }), 'launch');
    assert.ok(text.startsWith(userLaunchJson.slice(0, userLaunchJson.indexOf('    },\n  ]'))), `the existing entries are untouched:\n${text}`);
    assert.match(text, /\/\/ Shared with the team: keep these comments\./);
    assert.match(text, /\/\* Attach to a running process\. \*\//);
    assert.match(text, /\n {4}\{\n {6}"name": "DevSpaces: api \(Node\.js\)",/, `the new entry is indented like its neighbours:\n${text}`);
    const parsed = parse(text) as { configurations: { name: string }[] };
    assert.deepEqual(parsed.configurations.map((c) => c.name), ['Run api', 'Attach', 'DevSpaces: api (Node.js)']);
  });

  it('Creating_Again_Replaces_The_Configuration_With_The_Same_Name_Instead_Of_Adding_One', () => {
    const first = upsertEntryText(userLaunchJson, newConfiguration(nodeProject, { service: 'api', localPort: 5000 }), 'launch');
    const second = upsertEntryText(first, newConfiguration(nodeProject, { service: 'api', localPort: 6000 }), 'launch');
    const parsed = parse(second) as { configurations: { name: string; env?: Record<string, string> }[] };
    assert.deepEqual(parsed.configurations.map((c) => c.name), ['Run api', 'Attach', 'DevSpaces: api (Node.js)']);
    assert.equal(parsed.configurations[2]?.env?.DEVSPACES_LOCAL_PORT, '6000');
  });

  it('Marking_An_Existing_Configuration_Adds_Marker_Env_File_And_Port_And_Keeps_Its_Variables_And_Comments', () => {
    const text = markConfigurationText(userLaunchJson, 'Run api', { service: 'api', localPort: 5000 });
    assert.match(text, /\/\/ Turns on verbose logging\./, 'the comment among the variables stays');
    const parsed = parse(text) as { configurations: Record<string, unknown>[] };
    assert.deepEqual(parsed.configurations[0], {
      name: 'Run api',
      type: 'node',
      request: 'launch',
      program: '${workspaceFolder}/server.js',
      env: { DEBUG: 'api:*', PORT: '5000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' },
      envFile: '${workspaceFolder}/.devspaces/connect-api.env',
      outputCapture: 'std',
    });
    assert.deepEqual(parsed.configurations[1], { name: 'Attach', type: 'node', request: 'attach', port: 9229 }, 'the other configuration is untouched');
  });

  it('Marking_Again_Drops_The_Marker_Property_Of_Earlier_Versions_And_A_Container_No_Longer_Chosen', () => {
    const earlier =
      '{\n  "configurations": [\n    { "name": "Run api", "type": "node", "request": "launch", "outputCapture": "console",\n' +
      '      "env": { "DEVSPACES_CONTAINER": "old" }, "devspaces": { "service": "api", "localPort": 5000 } }\n  ]\n}\n';
    const [configuration] = (parse(markConfigurationText(earlier, 'Run api', { service: 'api', localPort: 6000 })) as { configurations: Record<string, unknown>[] })
      .configurations;
    assert.equal(configuration?.devspaces, undefined);
    assert.deepEqual(configuration?.env, { PORT: '6000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '6000' });
    assert.equal(configuration?.outputCapture, 'console', "the user's own output capture is kept");
  });

  it('Marking_A_Configuration_That_Is_Not_There_Says_So', () => {
    assert.throws(() => markConfigurationText(userLaunchJson, 'Gone', { service: 'api', localPort: 5000 }), /has no launch configuration named 'Gone'/);
  });

  it('A_Launch_Json_With_A_Syntax_Error_Is_Refused_With_The_Line_And_Left_As_It_Was', async () => {
    const broken = '{\n  "version": "0.2.0",\n  "configurations": [\n    { "name": "x" "type": "node" }\n  ]\n}\n';
    write('.vscode/launch.json', broken);
    await assert.rejects(
      saveLaunchConfiguration(folder, newConfiguration(nodeProject, { service: 'api', localPort: 5000 })),
      (error: unknown) => error instanceof JsonFileError && /launch\.json has a syntax error on line 4 .*nothing was changed/.test(error.message),
    );
    await assert.rejects(markLaunchConfiguration(folder, 'x', { service: 'api', localPort: 5000 }), JsonFileError);
    assert.equal(fs.readFileSync(path.join(folder, '.vscode', 'launch.json'), 'utf8'), broken);
  });

  it('A_Tab_Indented_File_Gets_A_Tab_Indented_Entry', () => {
    const tabbed = '{\n\t"version": "0.2.0",\n\t"configurations": []\n}\n';
    const text = upsertEntryText(tabbed, newConfiguration(nodeProject, { service: 'api', localPort: 5000 }), 'launch');
    assert.match(text, /\n\t\t\{\n\t\t\t"name": "DevSpaces: api \(Node\.js\)"/, text);
  });

  it('The_Build_Task_Goes_Into_Tasks_Json_Next_To_The_Users_Tasks', async () => {
    write('.vscode/tasks.json', '{\n  // mine\n  "version": "2.0.0",\n  "tasks": [{ "label": "lint", "type": "shell", "command": "npm run lint" }]\n}\n');
    await saveTask(folder, { label: 'DevSpaces: build Api', type: 'process', command: 'dotnet' });
    await saveTask(folder, { label: 'DevSpaces: build Api', type: 'process', command: 'dotnet', args: ['build'] });
    const text = fs.readFileSync(path.join(folder, '.vscode', 'tasks.json'), 'utf8');
    assert.match(text, /\/\/ mine/);
    const parsed = parse(text) as { tasks: { label: string; args?: string[] }[] };
    assert.deepEqual(parsed.tasks.map((t) => t.label), ['lint', 'DevSpaces: build Api']);
    assert.deepEqual(parsed.tasks[1]?.args, ['build']);
  });
});

describe('Project detection', () => {
  it('An_Empty_Folder_Has_No_Project', async () => {
    assert.deepEqual(await detectProjects(folder), []);
  });

  it('A_Node_Package_Runs_Its_Main_File', async () => {
    write('package.json', JSON.stringify({ name: 'api', main: 'lib/main.js' }));
    write('lib/main.js', '');
    const [project] = await detectProjects(folder);
    assert.deepEqual(project?.launch, {
      type: 'node',
      request: 'launch',
      cwd: '${workspaceFolder}',
      skipFiles: ['<node_internals>/**'],
      outputCapture: 'std',
      program: '${workspaceFolder}/lib/main.js',
    });
  });

  it('A_Node_Package_In_A_Subfolder_Runs_The_File_Its_Start_Script_Names', async () => {
    write('services/api/package.json', JSON.stringify({ name: 'api', scripts: { start: 'node --enable-source-maps src/app.js' } }));
    write('services/api/src/app.js', '');
    const [project] = await detectProjects(folder);
    assert.equal(project?.source, 'services/api/package.json');
    assert.equal(project?.launch.program, '${workspaceFolder}/services/api/src/app.js');
    assert.equal(project?.launch.cwd, '${workspaceFolder}/services/api');
  });

  it('A_Node_Package_With_Only_A_Start_Script_Runs_Npm_Start', async () => {
    write('package.json', JSON.stringify({ name: 'api', scripts: { start: 'ts-node src/app.ts' } }));
    const [project] = await detectProjects(folder);
    assert.equal(project?.launch.runtimeExecutable, 'npm');
    assert.deepEqual(project?.launch.runtimeArgs, ['run-script', 'start']);
    assert.equal(project?.launch.program, undefined);
  });

  it('A_DotNet_Project_Launches_Its_Built_Dll_After_A_Build_Task_With_The_Framework_From_Directory_Build_Props', async () => {
    write('Directory.Build.props', '<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>');
    write('src/Api/Api.csproj', '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><AssemblyName>Sample.Api</AssemblyName></PropertyGroup></Project>');
    write('src/Api/bin/Debug/net10.0/Other.csproj', '<Project />');
    const projects = await detectProjects(folder);
    assert.deepEqual(projects.map((p) => p.source), ['src/Api/Api.csproj'], 'build output is not searched');
    const [project] = projects;
    assert.equal(project?.launch.type, 'coreclr');
    assert.equal(project?.launch.program, '${workspaceFolder}/src/Api/bin/Debug/net10.0/Sample.Api.dll');
    assert.equal(project?.launch.preLaunchTask, 'DevSpaces: build Api');
    assert.equal(project?.buildTask?.label, 'DevSpaces: build Api');
    assert.deepEqual((project?.buildTask?.args as string[]).slice(0, 2), ['build', '${workspaceFolder}/src/Api/Api.csproj']);
    const configuration = newConfiguration(project, { service: 'api', localPort: 5000 });
    assert.equal(configuration.name, 'DevSpaces: api (.NET)');
    assert.deepEqual(configuration.env, { PORT: '5000', ASPNETCORE_URLS: 'http://localhost:5000', DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: '5000' });
  });

  it('A_Java_Project_Launches_The_Class_With_A_Main_Method', async () => {
    write('pom.xml', '<project />');
    write('src/main/java/io/example/quotes/Helper.java', 'package io.example.quotes;\nclass Helper {}\n');
    write('src/main/java/io/example/quotes/QuotesServer.java', 'package io.example.quotes;\npublic class QuotesServer {\n  public static void main(String[] args) {}\n}\n');
    const [project] = await detectProjects(folder);
    assert.deepEqual(project?.launch, { type: 'java', request: 'launch', mainClass: 'io.example.quotes.QuotesServer', cwd: '${workspaceFolder}' });
    assert.deepEqual(newConfiguration(project, { service: 'quotes', localPort: 8081 }).env, { PORT: '8081', SERVER_PORT: '8081', DEVSPACES_SERVICE: 'quotes', DEVSPACES_LOCAL_PORT: '8081' });
  });

  it('A_Folder_With_Several_Kinds_Offers_Each', async () => {
    write('api/Api.csproj', '<Project><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>');
    write('web/package.json', JSON.stringify({ main: 'index.js' }));
    write('web/index.js', '');
    assert.deepEqual((await detectProjects(folder)).map((p) => `${p.kind} ${p.source}`), ['dotnet api/Api.csproj', 'node web/package.json']);
  });
});
