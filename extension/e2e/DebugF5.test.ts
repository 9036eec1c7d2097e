import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { e2eEnvironment } from './support/e2eEnvironment';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// F5 on a `devspaces` launch configuration in a real VS Code, on the sample front end (Node.js) prepared by
// `devspaces prep`: the service runs in its space in debug mode, VS Code's JavaScript debugger attaches through the
// forwarded inspector, a breakpoint set in the local file stops a request in the pod, the Debug Console evaluates a
// variable there, Continue answers the request; a saved change restarts the process in the pod and the same session
// attaches again by itself, so the breakpoint stops the next request in the new code.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const space = `e2e-debug-${randomBytes(3).toString('hex')}`;
const work = path.join(env.work, 'debug-f5');
const workspace = path.join(work, 'workspace');
const serverFile = path.join(workspace, 'server.js');
const configurationName = 'DevSpaces: Debug in the Cluster';

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let serviceUrl: string;

/** The 1-based line of the 404 answer, where the breakpoint goes. */
const breakpointLine = (): number =>
  fs
    .readFileSync(serverFile, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes('return sendJson(res, 404')) + 1;

/** A request the breakpoint stops; resolves with the status once answered, or undefined if the request failed. */
function request(pathName: string): Promise<number | undefined> {
  return fetch(new URL(pathName, serviceUrl), { signal: AbortSignal.timeout(120_000) }).then(
    (response) => response.status,
    () => undefined,
  );
}

/** Continue, shown (in the debug toolbar) only while the session is paused. */
const pausedToolbar = () => driver.page.locator('.codicon-debug-continue:visible').first();

/**
 * Sends a request and waits until it stops at the breakpoint; one answered without stopping (the debugger is not
 * attached yet) is sent again. Never two at once: the second would stop at the breakpoint again after Continue.
 */
async function requestUntilPaused(pathName: string): Promise<{ answered: Promise<number | undefined> }> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const answered = request(pathName);
    const paused = pausedToolbar()
      .waitFor({ state: 'visible', timeout: deadline - Date.now() })
      .then(() => 'paused' as const)
      .catch(() => 'timeout' as const);
    if ((await Promise.race([answered.then(() => 'answered' as const), paused])) === 'paused') {
      return { answered };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Timed out waiting for a request to ${pathName} to stop at the breakpoint in server.js:${breakpointLine()}`);
}

/** Evaluates an expression in the Debug Console (the session's evaluate request on the paused frame). */
async function evaluate(expression: string, expected: string): Promise<void> {
  await driver.runFromPalette('Debug Console: Focus on Debug Console View');
  // The command puts the focus into the console's input editor.
  await driver.page.locator('.repl-input-wrapper .monaco-editor.focused').first().waitFor({ state: 'visible', timeout: driver.uiTimeout });
  await driver.page.keyboard.type(expression);
  await driver.page.keyboard.press('Enter');
  await driver.page.locator('.repl .monaco-list-row', { hasText: expected }).first().waitFor({ state: 'visible', timeout: driver.uiTimeout });
}

describe('F5 debugging in the cluster in a real VS Code', { timeout: 900_000 }, () => {
  before(async () => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    for (const name of ['package.json', 'server.js']) {
      fs.copyFileSync(path.resolve('samples', 'frontend', name), path.join(workspace, name));
    }
    await cli.devspaces(['prep', workspace, '--service', 'frontend']);
    fs.writeFileSync(
      path.join(workspace, '.vscode', 'launch.json'),
      JSON.stringify({ version: '0.2.0', configurations: [{ type: 'devspaces', request: 'launch', name: configurationName, folder: '${workspaceFolder}' }] }, null, 2),
    );
    await cli.devspaces(['space', 'create', space]);
    await cli.devspaces(['space', 'select', space], workspace);
    workbench = await BrowserWorkbench.open(env, {
      root: work,
      workspace,
      artifacts: path.join(env.work, 'artifacts', 'debug-f5'),
      // The bundled cluster has no registry: the base images it has locally.
      env: { DEVSPACES_HELPER_BASE_IMAGE: 'devspaces.local/debian:bookworm' },
      settings: { 'devspaces.up.buildArgs': ['NODE_IMAGE=devspaces.local/node:20'], 'debug.openDebug': 'neverOpen' },
    });
    driver = workbench.driver;
    await driver.waitForStatus(space, `the extension to activate and show the selected space '${space}'`);
  });

  after(async () => {
    await workbench?.close();
    await cli.deleteNamespaceAndWait(space);
  });

  it('F5_Stops_At_A_Breakpoint_In_The_Local_File_Shows_A_Value_From_The_Pod_And_Continues', () =>
    driver.step('breakpoint', async () => {
      await driver.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^server\.js$/ }).first().click();
      await driver.page.locator('.tab', { hasText: 'server.js' }).first().waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.runFromPalette('Go to Line/Column');
      await driver.page.keyboard.type(String(breakpointLine()));
      await driver.page.keyboard.press('Enter');
      await driver.runFromPalette('Debug: Toggle Breakpoint');
      await driver.page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ state: 'visible', timeout: driver.uiTimeout });

      await driver.runFromPalette('View: Show Run and Debug');
      await waitUntil(
        async () => ((await driver.page.locator('.start-debug-action-item', { hasText: configurationName }).count()) > 0 ? true : undefined),
        `Run and Debug to offer '${configurationName}'`,
        driver.uiTimeout,
      );
      await driver.page.keyboard.press('F5');
      // Building the image and the first deployment take long on a loaded machine; the attach session follows.
      await driver.page.locator('.debug-toolbar').first().waitFor({ state: 'visible', timeout: 300_000 });
      const clusterIp = (await cli.kubectl(['-n', space, 'get', 'service', 'frontend', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
      serviceUrl = `http://${clusterIp}/`;

      const { answered } = await requestUntilPaused('/paused-here');
      await evaluate('path', "'/paused-here'");
      await driver.screenshot('paused');
      await pausedToolbar().click();
      assert.equal(await answered, 404, 'the stopped request is answered once continued');
    }));

  it('A_Saved_Change_Restarts_The_Process_And_The_Session_Attaches_Again_And_Stops_There', () =>
    driver.step('reattach', async () => {
      const pod = (await cli.kubectl(['-n', space, 'get', 'pods', '-l', 'app.kubernetes.io/name=frontend', '-o', 'jsonpath={.items[*].metadata.name}'])).trim();
      const line = breakpointLine();
      // The same number of lines, so the breakpoint stays on the 404 answer.
      fs.writeFileSync(serverFile, fs.readFileSync(serverFile, 'utf8').replace("const SERVICE = 'frontend';", "const SERVICE = 'frontend-v2';"));
      assert.equal(breakpointLine(), line);
      // The old process ends when the sync restarts it; js-debug says so in the Debug Console and attaches again.
      await driver.runFromPalette('Debug Console: Focus on Debug Console View');
      await driver.page.locator('.repl .monaco-list-row', { hasText: /Lost connection to debugee/ }).first().waitFor({ state: 'visible', timeout: driver.uiTimeout });

      const { answered } = await requestUntilPaused('/after-restart');
      await evaluate('`${SERVICE} ${path}`', "'frontend-v2 /after-restart'");
      await pausedToolbar().click();
      assert.equal(await answered, 404);
      const after = (await cli.kubectl(['-n', space, 'get', 'pods', '-l', 'app.kubernetes.io/name=frontend', '-o', 'jsonpath={.items[*].metadata.name}'])).trim();
      assert.equal(after, pod, 'the process restarted in the same pod');
    }));
});
