import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Cli } from './support/Cli';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { daemonProcesses } from './support/daemonProcesses';
import { e2eEnvironment } from './support/e2eEnvironment';
import { Locator, Page } from './support/playwright';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// One real VS Code (code-server + headless Chromium) with the packaged extension, the real
// daemon and the real test cluster. The tests build on each other in order, as a user would.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const root = `e2e-${randomBytes(3).toString('hex')}`;
const child = `${root}-a`;
const created = `${root}-b`;
const workspace = path.join(env.work, 'workspace');
const artifacts = path.join(env.work, 'artifacts');
// A copy of the test kubeconfig with one more context whose API server refuses connections.
const kubeconfig = path.join(env.work, 'kubeconfig');
const unreachable = 'unreachable';
let realContext: string;

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;
let page: Page;

/** Our status-bar item, found by the accessible label the extension gives it. */
const spaceItem = (): Locator => page.locator('.part.statusbar [aria-label^="DevSpaces: "]').first();

/**
 * Narrows a quick pick by typing (the cluster may hold many spaces), then clicks a row. The
 * placeholder identifies the quick pick: the palette's input is the same widget, still showing
 * until the command opens its own list.
 */
async function pick(placeholder: string, filter: string, row: string | RegExp = filter): Promise<void> {
  await filterQuickPick(placeholder, filter);
  await driver.quickPickRow(row).click({ timeout: driver.uiTimeout });
}

async function filterQuickPick(placeholder: string, filter: string): Promise<void> {
  const input = page.locator(`.quick-input-widget input[placeholder^="${placeholder}"]`).first();
  await input.waitFor({ state: 'visible', timeout: driver.uiTimeout });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(filter);
  await waitUntil(async () => ((await input.inputValue()) === filter ? true : undefined), `the quick pick filter '${filter}'`);
}

/** A row of the Dev Spaces view, scrolled to. */
function viewRow(text: string | RegExp, reason: string): Promise<Locator> {
  return driver.viewRow('Dev Spaces', text, reason);
}

describe('DevSpaces in a real VS Code', { timeout: 600_000 }, () => {
  before(async () => {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'devspaces.yaml'), '# DevSpaces workspace used by the end-to-end tests\n');
    await cli.devspaces(['space', 'create', root]);
    await cli.devspaces(['space', 'create', child, '--parent', root]);
    await cli.devspaces(['space', 'select', root], workspace);
    fs.copyFileSync(env.kubeconfig, kubeconfig);
    realContext = (await cli.kubectl(['--kubeconfig', kubeconfig, 'config', 'current-context'])).trim();
    await cli.kubectl(['--kubeconfig', kubeconfig, 'config', 'set-cluster', unreachable, '--server=https://127.0.0.1:1']);
    await cli.kubectl(['--kubeconfig', kubeconfig, 'config', 'set-credentials', unreachable, '--token=not-a-real-token']);
    await cli.kubectl(['--kubeconfig', kubeconfig, 'config', 'set-context', unreachable, `--cluster=${unreachable}`, '--user=unreachable']);

    workbench = await BrowserWorkbench.open(env, { root: env.work, workspace, artifacts, kubeconfig });
    driver = workbench.driver;
    page = driver.page;
  });

  after(async () => {
    await workbench?.close();
    await cli.deleteNamespaces([created, child, root]);
  });

  it('The_Status_Bar_Shows_The_Selected_Space', () =>
    driver.step('status-bar', async () => {
      await driver.waitForStatus(root, `the status bar to show the selected space '${root}'`);
      const text = await spaceItem().textContent();
      assert.ok(text?.includes(root), `status bar text: ${text}`);
      await driver.screenshot('status-bar');
    }));

  it('Switching_Through_The_Status_Bar_Menu_Changes_The_Space_And_The_CLI_Sees_It', () =>
    driver.step('switch-space', async () => {
      await spaceItem().click();
      await driver.screenshot('space-menu');
      await filterQuickPick('Switch dev space', 'Create child');
      await driver.quickPickRow('Create child space…').waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await filterQuickPick('Switch dev space', 'Select cluster');
      await driver.quickPickRow('Select cluster context…').waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await pick('Switch dev space', child);
      await driver.waitForStatus(child, `the status bar to follow the switch to '${child}'`);
      const current = await cli.devspacesJson<{ space: string | null }>(['space', 'current'], workspace);
      assert.equal(current.space, child, 'the CLI in the workspace folder sees the new selection');
      const list = await cli.devspaces(['space', 'list'], workspace);
      assert.match(list, new RegExp(`\\*.*${child}|${child}.*\\*`), `space list marks '${child}' as selected:\n${list}`);
    }));

  it('Create_Child_Space_From_The_Palette_Creates_The_Namespace_With_The_Space_Labels', () =>
    driver.step('create-child', async () => {
      await driver.runFromPalette('DevSpaces: Create Child Space');
      await pick('Parent space of the new child space', root, new RegExp(`${root}(?!-)`));
      const input = page.locator('.quick-input-widget input').first();
      await waitUntil(async () => ((await input.inputValue()) === `${root}-` ? true : undefined), 'the name box prefilled with the parent');
      await page.keyboard.type('b');
      await page.keyboard.press('Enter');
      const namespace = await waitUntil(() => cli.namespace(created), `namespace '${created}' to exist`);
      assert.equal(namespace.metadata.labels?.['devspaces.io/space'], 'true');
      assert.equal(namespace.metadata.labels?.['devspaces.io/parent'], root);
      await page
        .locator('.notification-toast', { hasText: `Created space '${created}' as a child of '${root}'` })
        .first()
        .waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.waitForStatus(child, 'the selection to stay on the previous space');
    }));

  it('A_Duplicate_Child_Name_Shows_The_Daemon_Message_And_Hint_And_Changes_Nothing', () =>
    driver.step('duplicate-name', async () => {
      await driver.runFromPalette('DevSpaces: Create Child Space');
      await pick('Parent space of the new child space', root, new RegExp(`${root}(?!-)`));
      const input = page.locator('.quick-input-widget input').first();
      await waitUntil(async () => ((await input.inputValue()) === `${root}-` ? true : undefined), 'the name box prefilled with the parent');
      await page.keyboard.type('a');
      await page.keyboard.press('Enter');
      const toast = page.locator('.notification-toast', { hasText: 'Could not create the child space' }).first();
      await toast.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      const text = (await toast.textContent()) ?? '';
      assert.match(text, new RegExp(child), `the message names the space: ${text}`);
      assert.match(text, /Show Output/, `the message offers the output: ${text}`);
      await driver.screenshot('duplicate-name');
      const namespace = await cli.namespace(child);
      assert.equal(namespace?.metadata.labels?.['devspaces.io/parent'], root, 'the existing space is untouched');
      await page.keyboard.press('Escape');
    }));

  it('The_Dev_Spaces_View_Lists_Spaces_And_Services_And_Follows_The_Cluster', () =>
    driver.step('view', async () => {
      // The folder's section gives its height to the view, so rows stay clear of the headers however many spaces the
      // cluster has.
      const folders = page.locator('.pane-header', { hasText: /^workspace/ }).first();
      if ((await folders.getAttribute('aria-expanded')) === 'true') {
        await folders.click();
      }
      await page.locator('.pane-header', { hasText: 'Dev Spaces' }).first().click();
      await (await viewRow(new RegExp(`^${root}$`), `space '${root}' in the view`)).click();
      await viewRow(created, `child space '${created}' under '${root}' in the view`);
      await (await viewRow(new RegExp(`^${child}`), `child space '${child}' in the view`)).click();
      await cli.kubectl(['-n', child, 'create', 'service', 'clusterip', 'web', '--tcp=8080:80']);
      await viewRow(/web.*8080\/TCP/, `service 'web' with its port under '${child}' (from the watch)`);
      await driver.screenshot('view');
    }));

  it('Delete_Space_From_The_Palette_Confirms_And_Deletes_The_Namespace', () =>
    driver.step('delete-space', async () => {
      await driver.runFromPalette('DevSpaces: Delete Space');
      await pick('Space to delete', created);
      const dialog = page.locator('.monaco-dialog-box').first();
      await dialog.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      assert.match((await dialog.textContent()) ?? '', new RegExp(`Delete space '${created}'\\?`));
      await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).first().click();
      await waitUntil(async () => {
        const namespace = await cli.namespace(created);
        return namespace === undefined || namespace.status.phase === 'Terminating' ? true : undefined;
      }, `namespace '${created}' to be deleted`);
      await driver.waitForStatus(child, 'the selection to stay on the selected space');
    }));

  it('Selecting_An_Unreachable_Context_Shows_Why_And_Switching_Back_Recovers', () =>
    driver.step('context', async () => {
      await driver.runFromPalette('DevSpaces: Select Cluster Context');
      await pick('Cluster context for this workspace', unreachable);
      const toast = page.locator('.notification-toast', { hasText: `Context '${unreachable}' is selected, but its cluster is not usable` }).first();
      await toast.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.waitForStatus('no space (cluster error)', 'the status bar to show the unreachable cluster');
      const tooltip = await spaceItem().getAttribute('aria-label');
      assert.equal(tooltip, 'DevSpaces: no space (cluster error)');
      const toastText = (await toast.textContent()) ?? '';
      assert.match(toastText, /127\.0\.0\.1:1/, `the message names the API server: ${toastText}`);
      const viewMessage = page.locator('.pane-body .monaco-list-row', { hasText: /127\.0\.0\.1:1/ }).first();
      await viewMessage.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.screenshot('unreachable-context');

      await driver.runFromPalette('DevSpaces: Select Cluster Context');
      await pick('Cluster context for this workspace', realContext);
      await driver.waitForStatus('no space', `the status bar to recover on context '${realContext}'`);
      await driver.runFromPalette('DevSpaces: Select Space');
      await pick('Select the dev space for this workspace', child);
      await driver.waitForStatus(child, `the status bar to show '${child}' again`);
    }));

  it('A_Killed_Daemon_Is_Restarted_And_The_Status_Bar_Recovers', () =>
    driver.step('daemon-restart', async () => {
      const daemons = daemonProcesses(workbench!.server.userDataDir);
      assert.equal(daemons.length, 1, `exactly one daemon serves the window: ${daemons.join(', ')}`);
      process.kill(daemons[0], 'SIGKILL');
      const replacement = await waitUntil(() => {
        const now = daemonProcesses(workbench!.server.userDataDir);
        return Promise.resolve(now.length === 1 && now[0] !== daemons[0] ? now[0] : undefined);
      }, 'a new daemon process after the kill');
      assert.notEqual(replacement, daemons[0]);
      await driver.waitForStatus(child, 'the status bar to show the space again after the restart');
    }));

  it('Restart_Daemon_From_The_Palette_Starts_A_New_Daemon_And_Show_Output_Tells_So', () =>
    driver.step('restart-daemon', async () => {
      const before = daemonProcesses(workbench!.server.userDataDir);
      assert.equal(before.length, 1, `exactly one daemon serves the window: ${before.join(', ')}`);
      await driver.runFromPalette('DevSpaces: Restart Daemon');
      await waitUntil(() => {
        const now = daemonProcesses(workbench!.server.userDataDir);
        return Promise.resolve(now.length === 1 && now[0] !== before[0] ? now[0] : undefined);
      }, 'the daemon to be replaced by Restart Daemon');
      await driver.waitForStatus(child, 'the status bar to show the space after the restart');
      await driver.runFromPalette('DevSpaces: Show Output');
      const output = page.locator('.part.panel .view-lines', { hasText: /DevSpaces\sdaemon\s\S+\sis\sready/ }).first();
      await output.waitFor({ state: 'visible', timeout: driver.uiTimeout });
      await driver.screenshot('output');
    }));

  it('A_Selection_Made_With_The_CLI_In_The_Workspace_Reaches_The_Status_Bar', () =>
    driver.step('cli-selection', async () => {
      await cli.devspaces(['space', 'select', root], workspace);
      await driver.waitForStatus(root, `the status bar to follow 'devspaces space select ${root}' run in the workspace folder`);
    }));
});
