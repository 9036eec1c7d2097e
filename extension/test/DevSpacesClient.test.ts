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
  it('A_Missing_Daemon_Shows_An_Error_In_The_Status_Bar_With_How_To_Build_It', () => {
    client = new DevSpacesClient(extensionContext());
    client.start();
    assert.equal(statusItem().text, '$(error) DevSpaces');
    const tooltip = statusItem().tooltip ?? '';
    assert.match(tooltip, /daemon\/DevSpaces\.Cli\/bin\/Release\/net10\.0\/devspaces/);
    assert.match(tooltip, /dotnet build daemon\/DevSpaces\.Cli -c Release/);
    assert.match(tooltip, /devspaces\.daemonPath/);
  });

  it('Starts_The_Configured_Daemon_With_Stdio_The_Client_Pid_And_The_Log_Folder', async () => {
    const wrapper = path.join(folder, 'devspaces');
    const fakeDaemon = path.join(__dirname, 'support', 'fakeDaemon.js');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${fakeDaemon}" "$@"\n`, { mode: 0o755 });
    recorded.configuration.set('devspaces.daemonPath', wrapper);
    recorded.workspaceFolders = [{ uri: { scheme: 'file', fsPath: folder } }];
    client = new DevSpacesClient(extensionContext());
    client.start();
    const log = recorded.channels[0];
    const logDir = path.join(folder, 'logs');
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
