import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { e2eEnvironment } from './support/e2eEnvironment';
import { Locator, Page } from './support/playwright';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// A space's URL opened from the Dev Spaces view in a real VS Code: a routed root space runs `web`, its child holds
// another version of `web` (each answers with the space it runs in, the routing tests' space server); "Open Space URL"
// on a space's row opens that space's URL in the browser that drives VS Code, which shows that space's version.
// Chromium resolves every *.localhost name to this machine, so http://<space>.s.<root>.localhost:<node port>/ needs no
// DNS set-up.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const root = `e2e-url-${randomBytes(3).toString('hex')}`;
const child = `${root}-a`;
const work = path.join(env.work, 'space-url');
const workspace = path.join(work, 'workspace');
const spaceServer = path.resolve(__dirname, '../../../tests/DevSpaces.ClusterTests/Routing/SpaceServer/server.js');

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let page: Page;

/** One version of `web` in a space: the space server run from a ConfigMap on the cluster's Node.js image. */
function web(space: string): string {
  const labels = 'app: web';
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: ${space} }
spec:
  replicas: 1
  selector: { matchLabels: { ${labels} } }
  template:
    metadata: { labels: { ${labels} } }
    spec:
      terminationGracePeriodSeconds: 1
      automountServiceAccountToken: false
      containers:
        - name: web
          image: devspaces.local/node:20
          imagePullPolicy: IfNotPresent
          command: [node, /srv/server.js]
          env: [{ name: SERVICE, value: web }, { name: SPACE, value: ${space} }]
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
          volumeMounts: [{ name: server, mountPath: /srv }]
      volumes: [{ name: server, configMap: { name: space-server } }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: ${space} }
spec:
  selector: { ${labels} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

async function deployWeb(space: string): Promise<void> {
  await cli.kubectl(['-n', space, 'create', 'configmap', 'space-server', `--from-file=server.js=${spaceServer}`]);
  const manifest = path.join(work, `${space}.yaml`);
  fs.writeFileSync(manifest, web(space));
  await cli.kubectl(['apply', '-f', manifest]);
  await cli.kubectl(['-n', space, 'rollout', 'status', 'deployment/web', '--timeout=120s']);
}

/** A space's row in the Dev Spaces view, scrolled to. */
async function viewRow(space: string): Promise<Locator> {
  await driver.openView('Dev Spaces');
  return driver.viewRow('Dev Spaces', new RegExp(`^${space}(?!-)`), `space '${space}' in the Dev Spaces view`);
}

/**
 * Clicks "Open Space URL" on a space's row and returns the page the browser opened for it, once it shows an answer.
 * VS Code asks before it opens a link when the browser holds the new tab back or the site is not trusted yet: the
 * test answers as a user does.
 */
async function openSpaceUrl(space: string): Promise<{ url: string; body: string }> {
  const row = await viewRow(space);
  assert.match((await row.textContent()) ?? '', new RegExp(`http://${space}\\.s\\.${root}\\.localhost:\\d+/`), 'the row shows the space URL');
  const before = new Set(workbench!.pages());
  await row.hover();
  await row.locator('.action-label[aria-label^="Open Space URL"]').first().click({ timeout: driver.uiTimeout });
  const opened = await waitUntil(async () => {
    const added = workbench!.pages().find((p) => !before.has(p));
    if (added) {
      return added;
    }
    const ask = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^(Open|Retry|Open Link)$/ }).first();
    if (await ask.isVisible()) {
      await ask.click();
    }
    return undefined;
  }, `a browser tab for the URL of '${space}'`);
  try {
    // The node's proxy rules may still be learning the router's endpoints: a user would reload.
    const body = await waitUntil(async () => {
      await opened.waitForLoadState('load', { timeout: 30_000 });
      const text = (await opened.locator('body').first().textContent({ timeout: 5_000 })) ?? '';
      if (text.includes('"space"')) {
        return text;
      }
      await opened.reload({ timeout: 30_000 }).catch(() => undefined);
      return undefined;
    }, `the tab of '${space}' to show an answer of web`);
    return { url: opened.url(), body };
  } finally {
    await opened.close();
  }
}

describe('Space URLs in a real VS Code', { timeout: 600_000 }, () => {
  before(async () => {
    fs.mkdirSync(workspace, { recursive: true });
    await cli.devspaces(['space', 'create', root]);
    await cli.devspaces(['space', 'create', child, '--parent', root]);
    await deployWeb(root);
    await deployWeb(child);
    process.env.DEVSPACES_ROUTER_BASE_IMAGE ??= 'devspaces.local/dotnet-aspnet:10.0';
    await cli.devspaces(['routing', 'enable', '--space', root, '--entry', 'web']);
    await cli.devspaces(['space', 'select', root], workspace);
    workbench = await BrowserWorkbench.open(env, { root: work, workspace, artifacts: path.join(env.work, 'artifacts', 'space-url') });
    driver = workbench.driver;
    page = driver.page;
    await driver.waitForStatus(root, `the extension to activate and show the selected space '${root}'`);
  });

  after(async () => {
    await workbench?.close();
    await cli.deleteNamespaces([child, root]);
  });

  it('Open_Space_Url_On_A_Child_Space_Shows_The_Childs_Version_In_The_Browser', () =>
    driver.step('child-url', async () => {
      const folders = page.locator('.pane-header', { hasText: /^workspace/ }).first();
      if ((await folders.getAttribute('aria-expanded')) === 'true') {
        await folders.click();
      }
      await (await viewRow(root)).click();
      const { url, body } = await openSpaceUrl(child);
      assert.match(url, new RegExp(`^http://${child}\\.s\\.${root}\\.localhost:\\d+/$`));
      const answer = JSON.parse(body) as { service: string; space: string; routeAs: string | null };
      assert.equal(answer.service, 'web');
      assert.equal(answer.space, child, `the child's version answers the child's URL: ${body}`);
      assert.equal(answer.routeAs, child, 'the router passes the routing key on');
      await driver.screenshot('child-url');
    }));

  it('Open_Space_Url_On_The_Root_Space_Shows_The_Roots_Version', () =>
    driver.step('root-url', async () => {
      const { url, body } = await openSpaceUrl(root);
      assert.match(url, new RegExp(`^http://${root}\\.s\\.${root}\\.localhost:\\d+/$`));
      const answer = JSON.parse(body) as { service: string; space: string };
      assert.equal(answer.service, 'web');
      assert.equal(answer.space, root, `the root's version answers the root's URL: ${body}`);
    }));
});
