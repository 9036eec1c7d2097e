import { recorded, resetFake } from './support/fakeVscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { DevSpacesClient } from '../src/DevSpacesClient';
import { statusItem } from './support/harness';
import { waitFor } from './support/waitFor';

let folder: string;
let client: DevSpacesClient | undefined;

function extensionContext(): vscode.ExtensionContext {
  return {
    extensionPath: path.join(folder, 'extension'),
    logUri: { fsPath: path.join(folder, 'logs') },
    extension: { packageJSON: { version: '9.9.9' } },
    subscriptions: [],
  } as unknown as vscode.ExtensionContext;
}

beforeEach(() => {
  resetFake();
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-client-'));
});

afterEach(async () => {
  await client?.stop();
  client?.dispose();
  client = undefined;
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('DevSpacesClient', () => {
  it('Shows_The_Space_Remembered_In_The_Folder_Without_Starting_The_Daemon_And_Follows_The_File', () => {
    fs.mkdirSync(path.join(folder, '.devspaces'));
    fs.writeFileSync(path.join(folder, '.devspaces', 'state.json'), JSON.stringify({ context: 'kind', space: 'alice' }));
    recorded.workspaceFolders = [{ uri: { scheme: 'file', fsPath: folder } }];
    client = new DevSpacesClient(extensionContext());
    client.start();
    assert.equal(statusItem().text, '$(cloud) alice');
    assert.equal(statusItem().visible, true);
    assert.match(statusItem().tooltip ?? '', /Context: kind/);
    assert.equal(recorded.channels[0]?.lines.some((line) => line.includes('Starting the DevSpaces daemon')), false, 'no daemon for a window that only looks');

    fs.writeFileSync(path.join(folder, '.devspaces', 'state.json'), JSON.stringify({ context: 'kind', space: 'bob' }));
    recorded.watchers[0]?.changed.fire(undefined);
    assert.equal(statusItem().text, '$(cloud) bob');
  });

  it('Without_A_Remembered_Space_Shows_A_Neutral_Item', () => {
    client = new DevSpacesClient(extensionContext());
    client.start();
    assert.equal(statusItem().text, '$(cloud) DevSpaces');
    assert.equal(statusItem().accessibilityInformation?.label, 'DevSpaces: select a space');
    assert.equal(statusItem().command, 'devspaces.showSpaceMenu');
  });

  it('A_Missing_Daemon_Is_A_Notification_With_The_Reason_And_The_Way_Out_When_It_Is_Needed', async () => {
    client = new DevSpacesClient(extensionContext());
    client.start();
    recorded.user.messageAnswers.push('Open Settings');
    recorded.user.quickPick.push(() => undefined);
    await recorded.commands.get('devspaces.showSpaceMenu')?.();
    assert.equal(statusItem().text, '$(error) DevSpaces');
    const notification = recorded.messages.find((m) => m.severity === 'error');
    assert.match(notification?.text ?? '', /The DevSpaces daemon was not found \(looked at .*dist\/daemon\/devspaces/);
    assert.match(notification?.text ?? '', /install the package built for this platform, or set 'devspaces\.daemonPath'/);
    assert.deepEqual(notification?.actions, ['Open Settings', 'Show Log']);
    await waitFor(() => recorded.executed.includes('workbench.action.openSettings'), 'Open Settings to open the setting');
    assert.match(recorded.quickPicks[0]?.items[0]?.label ?? '', /^\$\(error\) The DevSpaces daemon was not found/, 'the menu row says what is wrong in plain words');
  });

  it('Starts_The_Configured_Daemon_With_Stdio_The_Client_Pid_And_The_Log_Folder_On_First_Use', async () => {
    const wrapper = path.join(folder, 'devspaces');
    const fakeDaemon = path.join(__dirname, 'support', 'fakeDaemon.js');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${fakeDaemon}" "$@"\n`, { mode: 0o755 });
    recorded.configuration.set('devspaces.daemonPath', wrapper);
    recorded.workspaceFolders = [{ uri: { scheme: 'file', fsPath: folder } }];
    client = new DevSpacesClient(extensionContext());
    client.start();
    const log = recorded.channels[0];
    const logDir = path.join(folder, 'logs');
    void recorded.commands.get('devspaces.refresh')?.();
    await waitFor(
      () => log.lines.some((line) => line.includes('DevSpaces daemon 0.0.0-fake is ready')),
      `the daemon to be ready; log so far:\n${log.lines.join('\n')}`,
    );
    assert.ok(
      log.lines.includes(`info [daemon] fake daemon started with daemon --stdio --client-pid ${process.pid} --log-dir ${logDir}`),
      log.lines.join('\n'),
    );
    assert.ok(fs.statSync(logDir).isDirectory(), 'the log folder exists for the daemon');
  });
});
