import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BrowserWorkbench } from './support/BrowserWorkbench';
import { Cli } from './support/Cli';
import { daemonProcesses } from './support/daemonProcesses';
import { e2eEnvironment } from './support/e2eEnvironment';
import { WorkbenchDriver, waitUntil } from './support/WorkbenchDriver';

// A new user's first minutes: the package bin/setup builds, installed into a fresh profile without any setting, in a
// folder that has never seen DevSpaces (no devspaces.yaml, no .devspaces/). The environment has the cluster's
// KUBECONFIG, as a user's shell would.

const env = e2eEnvironment();
const cli = new Cli(env.daemon, env.kubeconfig);
const space = `e2e-install-${randomBytes(3).toString('hex')}`;
const root = path.join(env.work, 'install');
const workspace = path.join(root, 'workspace');

let workbench: BrowserWorkbench | undefined;
let driver: WorkbenchDriver;

describe('The installed package in a fresh profile', { timeout: 300_000 }, () => {
  before(async () => {
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'README.md'), 'A folder without devspaces.yaml.\n');
    await cli.devspaces(['space', 'create', space]);
    workbench = await BrowserWorkbench.open(env, { root, workspace, artifacts: path.join(env.work, 'artifacts', 'install'), noSettings: true });
    driver = workbench.driver;
  });

  after(async () => {
    await workbench?.close();
    await cli.deleteNamespaceAndWait(space);
  });

  it('The_Space_Switcher_Shows_In_A_Folder_Without_Devspaces_Yaml_And_No_Daemon_Runs_Yet', () =>
    driver.step('install-idle', async () => {
      await driver.waitForStatus('select a space', 'the status-bar item of a folder that never selected a space');
      assert.deepEqual(daemonProcesses(workbench!.server.userDataDir), [], 'a window that has not touched Kubernetes runs no daemon');
      await driver.screenshot('install-idle');
    }));

  it('Clicking_It_Starts_The_Packaged_Daemon_And_Switches_The_Space', () =>
    driver.step('install-switch', async () => {
      await driver.page.locator('.part.statusbar [aria-label="DevSpaces: select a space"]').first().click();
      await driver.pick(/^Switch dev space/, space);
      await driver.waitForStatus(space, `the status bar to show the space '${space}' picked in the menu`);
      const current = await cli.devspacesJson<{ space: string | null }>(['space', 'current'], workspace);
      assert.equal(current.space, space, 'the CLI in the folder sees the selection');

      const [pid] = await waitUntil(async () => {
        const pids = daemonProcesses(workbench!.server.userDataDir);
        return Promise.resolve(pids.length === 1 ? pids : undefined);
      }, 'one daemon for the window');
      const executable = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
      assert.ok(
        executable.startsWith(path.join(root, 'code-server', 'extensions')),
        `the daemon is the one in the installed extension, found without a setting: ${executable}`,
      );
    }));
});
