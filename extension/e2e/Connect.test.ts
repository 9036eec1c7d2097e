import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { e2eEnvironment } from './support/e2eEnvironment';
import { freePort } from './support/freePort';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// "DevSpaces: Connect a Service…" in a real VS Code against the sample app in a fresh space: the flow creates a
// launch configuration for a local Node.js stand-in of `api`, F5 starts it with the cluster's environment, the
// sample front end in the cluster is answered by it, and Disconnect restores the cluster's `api`.

const run = promisify(execFile);
const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const space = `e2e-connect-${randomBytes(3).toString('hex')}`;
const work = path.join(env.work, 'connect');
const workspace = path.join(work, 'workspace');
/** The connect agent runs on the harness's local .NET runtime image (no registry here). */
const agentBaseImage = 'devspaces.local/dotnet-aspnet:10.0';

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let localPort: number;
let frontend: string;

// The local stand-in for `api`: it answers the front end's /greeting with where it runs and what it was given.
const localServer = `'use strict';
const http = require('node:http');
const port = Number(process.env.PORT);
http
  .createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({
      service: 'api',
      from: 'local',
      path: request.url,
      pid: process.pid,
      podNamespace: process.env.POD_NAMESPACE ?? null,
      quotesUrl: process.env.QUOTES_URL ?? null,
    }));
  })
  .listen(port, () => console.log('local api listening on ' + port));
`;

interface Greeting {
  readonly status: number;
  readonly api: { service?: string; from?: string; podNamespace?: string | null; quotesUrl?: string | null; hostname?: string } | undefined;
  readonly text: string;
}

/** GET /api/greeting on the front end's ClusterIP, as a client in the cluster would call it. */
async function greeting(): Promise<Greeting> {
  const response = await fetch(`http://${frontend}/api/greeting`, { signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  const body = JSON.parse(text) as { api?: Greeting['api'] };
  return { status: response.status, api: body.api, text };
}

interface ApiDeployment {
  spec: { replicas?: number };
  metadata: { annotations?: Record<string, string> };
  status: { readyReplicas?: number };
}

async function apiDeployment(): Promise<ApiDeployment> {
  return JSON.parse(await cli.kubectl(['-n', space, 'get', 'deployment', 'api', '-o', 'json'])) as ApiDeployment;
}

/** Waits until the api Deployment has its replica back and no devspaces.io/connect record. */
function apiRestored(reason: string): Promise<true> {
  return waitUntil(
    async () => {
      const deployment = await apiDeployment();
      return deployment.spec.replicas === 1 && !deployment.metadata.annotations?.['devspaces.io/connect'] ? true : undefined;
    },
    reason,
    driver.uiTimeout,
  );
}

/** The local port box suggests where the container listens (8080), or a free port near it: never 80, which needs root. */
async function suggestsUnprivilegedPort(): Promise<void> {
  const suggested = await waitUntil(async () => Number((await driver.input().inputValue()) || undefined) || undefined, 'a suggested local port', driver.uiTimeout);
  assert.ok(suggested >= 8080 && suggested < 8100, `the suggestion is the container's port 8080 or the next free one: ${suggested}`);
}

const statusItem = () => driver.page.locator(`.part.statusbar [aria-label="DevSpaces connect: api → localhost:${localPort}"]`).first();

describe('Connect in a real VS Code', { timeout: 900_000 }, () => {
  before(async () => {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'devspaces.yaml'), '# DevSpaces workspace used by the connect end-to-end test\n');
    fs.writeFileSync(path.join(workspace, 'package.json'), JSON.stringify({ name: 'local-api', private: true, main: 'server.js' }, null, 2));
    fs.writeFileSync(path.join(workspace, 'server.js'), localServer);

    const deployed = await run(
      'bash',
      [path.resolve('samples/deploy'), '--namespace', space, '--local-bases', '--node-port', 'auto', '--timeout', '240', '--kubeconfig', env.kubeconfig],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`samples/deploy into '${space}' failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    assert.match(deployed.stdout, /api/, 'samples/deploy said what it deployed');
    await cli.devspaces(['space', 'select', space], workspace);
    frontend = (await cli.kubectl(['-n', space, 'get', 'service', 'frontend', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const before = await waitUntil(async () => {
      const answer = await greeting();
      return answer.status === 200 ? answer : undefined;
    }, 'the sample front end to answer through the cluster api before connecting');
    assert.notEqual(before.api?.from, 'local', `the cluster's api answers before connecting: ${before.text}`);

    workbench = await BrowserWorkbench.open(env, {
      root: work,
      workspace,
      artifacts: path.join(env.work, 'artifacts', 'connect'),
      env: { DEVSPACES_AGENT_BASE_IMAGE: agentBaseImage },
      settings: { 'debug.openDebug': 'neverOpen', 'debug.internalConsoleOptions': 'neverOpen' },
    });
    driver = workbench.driver;
    await driver.waitForStatus(space, `the extension to activate and show the selected space '${space}'`);
  });

  after(async () => {
    // Stopping code-server stops the daemon, which restores a service still connected.
    await workbench?.close();
    await cli.deleteNamespaceAndWait(space);
  });

  it('Connect_A_Service_From_The_Palette_Creates_A_Launch_Configuration_And_Shows_The_Connection', () =>
    driver.step('connect', async () => {
      localPort = await freePort();
      await driver.runFromPalette('DevSpaces: Connect a Service');
      await driver.pick(/^Service of '.*' to serve from this machine$/, 'api');
      await suggestsUnprivilegedPort();
      await driver.replaceInput(String(localPort));
      await driver.page.keyboard.press('Enter');
      await driver.pick(/^Launch configuration that runs your local 'api'/, 'Create a launch configuration', /Node\.js · package\.json/);

      // Building and delivering the agent image and the takeover take long on the first run of a machine.
      await statusItem().waitFor({ state: 'visible', timeout: 300_000 });
      await driver.toast(`'api' is connected: its cluster traffic now reaches localhost:${localPort}.`).waitFor({ state: 'visible', timeout: driver.uiTimeout });

      const launch = JSON.parse(fs.readFileSync(path.join(workspace, '.vscode', 'launch.json'), 'utf8')) as { configurations: Record<string, unknown>[] };
      assert.deepEqual(launch.configurations, [
        {
          name: 'DevSpaces: api (Node.js)',
          type: 'node',
          request: 'launch',
          cwd: '${workspaceFolder}',
          skipFiles: ['<node_internals>/**'],
          program: '${workspaceFolder}/server.js',
          outputCapture: 'std',
          envFile: '${workspaceFolder}/.devspaces/connect-api.env',
          env: { PORT: String(localPort), DEVSPACES_SERVICE: 'api', DEVSPACES_LOCAL_PORT: String(localPort) },
        },
      ]);
      const envFile = fs.readFileSync(path.join(workspace, '.devspaces', 'connect-api.env'), 'utf8');
      assert.match(envFile, new RegExp(`^POD_NAMESPACE=${space}$`, 'm'), `the env file has the container's field reference:\n${envFile}`);
      assert.match(envFile, /^QUOTES_URL=http:\/\/127\.0\.0\.1:\d+\/?$/m, `the env file points QUOTES_URL at the local endpoint of quotes:\n${envFile}`);
      assert.match(envFile, /^PORT=8080$/m, `the env file keeps the container's PORT (the configuration overrides it):\n${envFile}`);

      const deployment = await apiDeployment();
      assert.equal(deployment.spec.replicas, 0, "the cluster's api is scaled away while connected");
      assert.ok(deployment.metadata.annotations?.['devspaces.io/connect'], 'the takeover is recorded on the Deployment');
      await driver.screenshot('connected');
    }));

  it('A_Request_Before_The_Local_Process_Runs_Is_Reported_As_Nothing_Listening', () =>
    driver.step('not-listening', async () => {
      const answer = await waitUntil(async () => {
        const got = await greeting();
        // Until kube-proxy has the agent's endpoint the front end may still reach the old pod's address.
        return got.status === 502 && /nothing listens there/.test(got.text) ? got : undefined;
      }, "the front end to get the agent's 502 text while nothing listens locally");
      assert.match(answer.text, new RegExp(`connected to localhost:${localPort}`), `the 502 text names the local port: ${answer.text}`);
      await driver.toast(new RegExp(`nothing listening on localhost:${localPort}`)).waitFor({ state: 'visible', timeout: driver.uiTimeout });
    }));

  it('F5_Starts_The_Local_Process_With_The_Cluster_Environment_And_It_Serves_The_Cluster', () =>
    driver.step('debug', async () => {
      await driver.clearNotifications();
      await driver.runFromPalette('View: Show Run and Debug');
      // F5 runs the configuration selected in Run and Debug: wait until VS Code has read the new launch.json.
      await waitUntil(
        async () => ((await driver.page.locator('.start-debug-action-item', { hasText: 'DevSpaces: api (Node.js)' }).count()) > 0 ? true : undefined),
        "Run and Debug to offer 'DevSpaces: api (Node.js)'",
        driver.uiTimeout,
      );
      await driver.page.keyboard.press('F5');
      await driver.page.locator('.debug-toolbar').first().waitFor({ state: 'visible', timeout: driver.uiTimeout });

      const answer = await waitUntil(async () => {
        const got = await greeting();
        return got.status === 200 && got.api?.from === 'local' ? got : undefined;
      }, 'the front end in the cluster to be answered by the local process', 90_000);
      assert.equal(answer.api?.podNamespace, space, `the local process got the container's POD_NAMESPACE: ${answer.text}`);
      assert.match(answer.api?.quotesUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/?$/, `the local process got QUOTES_URL pointing at this machine: ${answer.text}`);
      await statusItem().waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.screenshot('debugging');
    }));

  it('Disconnect_Clears_The_Status_Bar_And_Restores_The_Cluster', () =>
    driver.step('disconnect', async () => {
      await statusItem().waitFor({ state: 'visible', timeout: 1_000 });
      assert.equal((await apiDeployment()).spec.replicas, 0, "the cluster's api is still taken over before Disconnect");
      // Stop debugging first, as a user would; Disconnect does not depend on it.
      await driver.page.keyboard.press('Shift+F5');
      await driver.page.locator('.debug-toolbar').first().waitFor({ state: 'hidden', timeout: driver.uiTimeout });
      await driver.runFromPalette('DevSpaces: Disconnect');
      await statusItem().waitFor({ state: 'hidden', timeout: 120_000 });
      assert.equal(await driver.page.locator('.part.statusbar [aria-label^="DevSpaces connect:"]').count(), 0, 'no connection is shown');

      assert.equal(fs.existsSync(path.join(workspace, '.devspaces', 'connect-api.env')), false, 'the env file (it may hold secrets) is deleted');
      await apiRestored('the api Deployment to get its replica back and lose the devspaces.io/connect record');
      await waitUntil(
        async () => ((await cli.kubectl(['-n', space, 'get', 'deployments', '-l', 'devspaces.io/connect-agent', '-o', 'name'])).trim() === '' ? true : undefined),
        'the agent Deployment to be deleted',
        driver.uiTimeout,
      );
      const answer = await waitUntil(async () => {
        const got = await greeting();
        return got.status === 200 && got.api?.from !== 'local' ? got : undefined;
      }, "the front end to be answered by the cluster's api again", 180_000);
      assert.equal(answer.api?.service, 'api', `the cluster's api answers: ${answer.text}`);
    }));

  it('When_The_Daemon_Dies_The_Connection_Ends_Visibly_And_The_Agent_Restores_The_Cluster', () =>
    driver.step('daemon-killed', async () => {
      await driver.clearNotifications();
      await driver.runFromPalette('DevSpaces: Connect a Service');
      await driver.pick(/^Service of '.*' to serve from this machine$/, 'api');
      await suggestsUnprivilegedPort();
      await driver.replaceInput(String(localPort));
      await driver.page.keyboard.press('Enter');
      // This time the configuration created before is offered and picked.
      await driver.pick(/^Launch configuration that runs your local 'api'/, 'DevSpaces: api', /connects 'api' to localhost/);
      await statusItem().waitFor({ state: 'visible', timeout: 300_000 });
      await waitUntil(
        async () => ((await apiDeployment()).spec.replicas === 0 ? true : undefined),
        "the cluster's api to be taken over again",
        driver.uiTimeout,
      );

      // The daemon this window started: the only one whose log folder is in this test's code-server folder.
      const processes = (await run('ps', ['-eo', 'pid=,args='])).stdout.split('\n');
      const daemons = processes.filter((line) => line.includes(` daemon --stdio `) && line.includes(path.join(work, 'code-server')));
      assert.equal(daemons.length, 1, `exactly one daemon of this window runs:\n${daemons.join('\n')}`);
      process.kill(Number(daemons[0].trim().split(/\s+/)[0]), 'SIGKILL');

      await driver.toast("'api' is no longer connected").waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await statusItem().waitFor({ state: 'hidden', timeout: driver.uiTimeout });
      await apiRestored('the agent to restore the api Deployment after its daemon vanished (heartbeat timeout)');
    }));
});
