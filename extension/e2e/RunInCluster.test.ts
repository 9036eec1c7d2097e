import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { e2eEnvironment } from './support/e2eEnvironment';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// "DevSpaces: Run in Cluster" in a real VS Code on a Node service prepared by `devspaces prep`: the service answers on
// the URL the notification names, its request lines appear in its output channel, a saved change is served, and a
// bad key in devspaces.yaml shows in the Problems panel at its line.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const space = `e2e-up-${randomBytes(3).toString('hex')}`;
const work = path.join(env.work, 'run-in-cluster');
const workspace = path.join(work, 'workspace');

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let url: string | undefined;

const server = (version: string): string => `const http = require('http');
http.createServer((req, res) => {
  console.log('request ' + req.method + ' ' + req.url);
  res.end('hello ${version}');
}).listen(process.env.PORT || 8080);
`;

async function answer(): Promise<string | undefined> {
  try {
    const response = await fetch(url!, { signal: AbortSignal.timeout(10_000) });
    return response.status === 200 ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

describe('Run in Cluster in a real VS Code', { timeout: 900_000 }, () => {
  before(async () => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'package.json'), '{ "name": "hello", "version": "1.0.0", "main": "server.js" }\n');
    fs.writeFileSync(path.join(workspace, 'server.js'), server('v1'));
    await cli.devspaces(['prep', workspace, '--service', 'hello']);
    await cli.devspaces(['space', 'create', space]);
    await cli.devspaces(['space', 'select', space], workspace);
    workbench = await BrowserWorkbench.open(env, {
      root: work,
      workspace,
      artifacts: path.join(env.work, 'artifacts', 'run-in-cluster'),
      // The bundled cluster has no registry: the base images it has locally.
      env: { DEVSPACES_HELPER_BASE_IMAGE: 'devspaces.local/debian:bookworm' },
      settings: { 'devspaces.up.buildArgs': ['NODE_IMAGE=devspaces.local/node:20'] },
    });
    driver = workbench.driver;
    await driver.waitForStatus(space, `the extension to activate and show the selected space '${space}'`);
  });

  after(async () => {
    await workbench?.close();
    await cli.deleteNamespaceAndWait(space);
  });

  it('Run_In_Cluster_Serves_The_Folder_On_The_Notified_Url_And_Shows_Request_Lines_In_Its_Output', () =>
    driver.step('run-in-cluster', async () => {
      await driver.runFromPalette('DevSpaces: Run in Cluster');
      const toast = driver.toast(/hello is up in '.*' at http:\/\/127\.0\.0\.1:\d+\//);
      await toast.waitFor({ state: 'visible', timeout: 300_000 });
      url = /http:\/\/127\.0\.0\.1:\d+\//.exec((await toast.textContent()) ?? '')?.[0];
      assert.ok(url, 'the notification names the local URL');
      assert.equal(await waitUntil(answer, `${url} to answer`, 60_000), 'hello v1');
      const line = driver.page.locator('.part.panel .view-lines', { hasText: /request\sGET\s\// }).first();
      await line.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.screenshot('output');
    }));

  it('A_Saved_Change_Is_Served_By_The_Running_Service', () =>
    driver.step('saved-change', async () => {
      assert.ok(url, 'the service is up');
      fs.writeFileSync(path.join(workspace, 'server.js'), server('v2'));
      await waitUntil(async () => ((await answer()) === 'hello v2' ? true : undefined), `${url} to serve the saved change`, 60_000);
      const restart = driver.page.locator('.part.panel .view-lines', { hasText: /Restarted\sthe\sapp/ }).first();
      await restart.waitFor({ state: 'visible', timeout: driver.uiTimeout });
    }));

  it('A_Bad_Key_In_Devspaces_Yaml_Shows_In_The_Problems_Panel_At_Its_Line', () =>
    driver.step('problems', async () => {
      const file = path.join(workspace, 'devspaces.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('\nbuild:\n', '\nbuild:\n  dockerfil: Dockerfile\n'));
      const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('dockerfil:')) + 1;
      await driver.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^devspaces\.yaml$/ }).first().click();
      await driver.page.locator('.tab', { hasText: 'devspaces.yaml' }).first().waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.runFromPalette('View: Focus Problems');
      const problem = driver.page.locator('.markers-panel .monaco-list-row', { hasText: /dockerfil/ }).first();
      await problem.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      assert.match((await problem.textContent()) ?? '', new RegExp(`\\[Ln ${line}, Col 3\\]`));
    }));
});
