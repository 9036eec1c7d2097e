import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { e2eEnvironment } from './support/e2eEnvironment';
import { freePort } from './support/freePort';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// "DevSpaces: Forward a Port…" in a real VS Code against a Service of a real space: the forwarded
// local port answers with the pod's reply, and stopping it from the Port Forwards view closes it.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const space = `e2e-pf-${randomBytes(3).toString('hex')}`;
const work = path.join(env.work, 'port-forward');
const workspace = path.join(work, 'workspace');

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let blocker: net.Server | undefined;
let localPort: number;

// A tiny HTTP server in the local Node image; the reply names the pod so the test knows it got there.
const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: { name: echo }
spec:
  replicas: 1
  selector: { matchLabels: { app: echo } }
  template:
    metadata: { labels: { app: echo } }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: echo
          image: devspaces.local/node:20
          imagePullPolicy: Never
          command: ["node", "-e", "require('http').createServer((q, s) => s.end('echo from ' + process.env.HOSTNAME + ' ' + q.url)).listen(8080)"]
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: echo }
spec:
  selector: { app: echo }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

/** Whether something accepts TCP connections on a loopback port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(5_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function get(url: string): Promise<string> {
  // The first request opens the stream to the pod through the API server: generous on a loaded machine.
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  assert.equal(response.status, 200, `GET ${url}`);
  return response.text();
}

describe('Port forwarding in a real VS Code', { timeout: 600_000 }, () => {
  before(async () => {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'devspaces.yaml'), '# DevSpaces workspace used by the port-forward end-to-end test\n');
    await cli.devspaces(['space', 'create', space]);
    await cli.devspaces(['space', 'select', space], workspace);
    const manifestFile = path.join(work, 'echo.yaml');
    fs.writeFileSync(manifestFile, manifest);
    await cli.kubectl(['-n', space, 'apply', '-f', manifestFile]);
    // The pod must be ready before the palette is used; kubectl bounds the wait itself.
    await cli.kubectl(['-n', space, 'rollout', 'status', 'deployment/echo', '--timeout=240s']).catch(async (error: unknown) => {
      const pods = await cli.kubectl(['-n', space, 'get', 'pods', '-o', 'wide']).catch(() => '');
      throw new Error(`deployment/echo in '${space}' did not become ready within 240 s: ${String(error)}\n${pods}`);
    });

    workbench = await BrowserWorkbench.open(env, { root: work, workspace, artifacts: path.join(env.work, 'artifacts', 'port-forward') });
    driver = workbench.driver;
    await driver.waitForStatus(space, `the extension to activate and show the selected space '${space}'`);
  });

  after(async () => {
    await workbench?.close();
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    await cli.deleteNamespaceAndWait(space);
  });

  /** "Forward a Port…" for port 80 of service/echo, accepting the suggested mapping with another local port. */
  async function forwardEchoFromPalette(local: number): Promise<void> {
    await driver.runFromPalette('DevSpaces: Forward a Port');
    await driver.pick(/^Forward a port of a service in space/, 'service/echo');
    await driver.pick(/^Port of service\/echo to forward$/, '80', 'pod port http');
    // Locally the container's port (8080, resolved from the named target port 'http'), or a free one near it.
    await waitUntil(
      async () => (/^80[89]\d:80$/.test(await driver.input().inputValue()) ? true : undefined),
      'the mapping box to suggest the container port locally',
      driver.uiTimeout,
    );
    await driver.replaceInput(`${local}:80`);
    await driver.page.keyboard.press('Enter');
  }

  it('Forward_A_Port_From_The_Palette_Reaches_The_Service_On_The_Chosen_Local_Port', () =>
    driver.step('forward-port', async () => {
      localPort = await freePort();
      await forwardEchoFromPalette(localPort);

      const toast = driver.toast(`Forwarding http://127.0.0.1:${localPort}`);
      await toast.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      const toastText = (await toast.textContent()) ?? '';
      assert.match(toastText, /Open in Browser/, `the notification offers the browser: ${toastText}`);
      assert.match(toastText, /Copy Address/, `the notification offers the address: ${toastText}`);

      const body = await get(`http://127.0.0.1:${localPort}/hello`);
      assert.match(body, /^echo from echo-[a-z0-9]+-[a-z0-9]+ \/hello$/, `the pod answered through the forward: ${body}`);

      const view = await driver.openView('Port Forwards');
      const row = view.locator('.monaco-list-row', { hasText: `service/echo  ${localPort} → 80` }).first();
      await row.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      // The row follows readiness as the cluster reports it; a probe hiccup on the shared node may pass through first.
      await waitUntil(
        async () => (/listening · echo-/.test((await row.textContent()) ?? '') ? true : undefined),
        'the Port Forwards row to show the pod it forwards to',
        driver.uiTimeout,
      );
      await driver.screenshot('port-forward-listed');
    }));

  it('Deleting_The_Pod_Moves_The_Forward_To_The_Replacement_And_The_View_Says_So', () =>
    driver.step('pod-switch', async () => {
      const before = /^echo from (\S+)/.exec(await get(`http://127.0.0.1:${localPort}/`))?.[1];
      assert.ok(before, 'the first pod answered');
      await cli.kubectl(['-n', space, 'delete', 'pod', before, '--wait=false']);
      // The Deployment starts a replacement; the forward must reach it without the user doing anything.
      const after = await waitUntil(
        async () => {
          const pod = /^echo from (\S+)/.exec(await get(`http://127.0.0.1:${localPort}/`))?.[1];
          return pod && pod !== before ? pod : undefined;
        },
        `the forward to reach the replacement of pod ${before} (the Deployment creates it, the daemon follows)`,
        180_000,
      );
      const view = await driver.openView('Port Forwards');
      const row = view.locator('.monaco-list-row', { hasText: `service/echo  ${localPort} → 80` }).first();
      await waitUntil(
        async () => (((await row.textContent()) ?? '').includes(`${after} (switched)`) ? true : undefined),
        `the Port Forwards view to show the switch to pod ${after}`,
        driver.uiTimeout,
      );
    }));

  it('Stop_From_The_Port_Forwards_View_Closes_The_Local_Port', () =>
    driver.step('stop-forward', async () => {
      await driver.clearNotifications();
      const view = await driver.openView('Port Forwards');
      const row = view.locator('.monaco-list-row', { hasText: `service/echo  ${localPort} → 80` }).first();
      await row.hover({ timeout: driver.uiTimeout });
      await row.locator('.action-label[aria-label^="Stop Port Forward"]').first().click({ timeout: driver.uiTimeout });
      await waitUntil(async () => ((await accepts(localPort)) ? undefined : true), `local port ${localPort} to close after Stop`, 30_000);
      await row.waitFor({ state: 'hidden', timeout: driver.uiTimeout });
    }));

  it('A_Local_Port_In_Use_Names_Its_Process_And_Any_Free_Port_Still_Works', () =>
    driver.step('port-in-use', async () => {
      await driver.clearNotifications();
      const taken = await freePort();
      blocker = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve, reject) => {
        blocker!.once('error', reject);
        blocker!.listen(taken, '127.0.0.1', () => resolve());
      });
      await forwardEchoFromPalette(taken);

      const error = driver.toast(`Local port ${taken}`);
      await error.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      const errorText = (await error.textContent()) ?? '';
      assert.match(errorText, new RegExp(`already in use by process ${process.pid} `), `the message names this test's process: ${errorText}`);
      await error.locator('.monaco-button', { hasText: 'Use Any Free Local Port' }).first().click({ timeout: driver.uiTimeout });

      const started = driver.toast(/Forwarding http:\/\/127\.0\.0\.1:\d+/);
      await started.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      const port = Number(/127\.0\.0\.1:(\d+)/.exec((await started.textContent()) ?? '')?.[1]);
      assert.ok(port > 0 && port !== taken, `another local port was chosen: ${port}`);
      assert.match(await get(`http://127.0.0.1:${port}/again`), /^echo from echo-.* \/again$/);

      await driver.runFromPalette('DevSpaces: Stop Port Forward');
      await driver.pick(/^Port forward to stop$/, 'service/echo', `service/echo ${port}→80`);
      await waitUntil(async () => ((await accepts(port)) ? undefined : true), `local port ${port} to close after Stop Port Forward…`, 30_000);
    }));
});
