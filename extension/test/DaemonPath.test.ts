import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { builtDaemonCandidates, bundledDaemon, checkFile, FileCheck, resolveDaemonPath } from '../src/daemon/DaemonPath';

const executable: FileCheck = { kind: 'executable' };
const missing: FileCheck = { kind: 'missing' };
const only = (file: string) => (candidate: string): FileCheck => (candidate === file ? executable : missing);

describe('Daemon path', () => {
  const ext = '/ext';

  it('Defaults_To_The_Daemon_In_The_Package_Then_The_Release_And_Debug_Builds_Of_The_Repository', () => {
    const [release, debug] = builtDaemonCandidates(ext);
    assert.equal(bundledDaemon(ext), '/ext/dist/daemon/devspaces');
    assert.equal(release, '/ext/daemon/DevSpaces.Cli/bin/Release/net10.0/devspaces');
    assert.equal(debug, '/ext/daemon/DevSpaces.Cli/bin/Debug/net10.0/devspaces');
    assert.equal(resolveDaemonPath(undefined, ext, () => executable).path, '/ext/dist/daemon/devspaces');
    assert.equal(resolveDaemonPath(undefined, ext, only(debug ?? '')).path, debug);
    assert.equal(resolveDaemonPath('', ext, only(release ?? '')).path, release);
  });

  it('Uses_A_Configured_Path_As_Absolute_Or_Relative_To_The_Extension', () => {
    assert.equal(resolveDaemonPath('/opt/devspaces/devspaces', ext, () => executable).path, '/opt/devspaces/devspaces');
    assert.equal(resolveDaemonPath('tools/devspaces', ext, () => executable).path, '/ext/tools/devspaces');
  });

  it('Reports_Every_Place_It_Looked_When_Nothing_Is_There', () => {
    const result = resolveDaemonPath(undefined, ext, () => missing);
    assert.equal(result.path, undefined);
    assert.deepEqual(result.searched, [bundledDaemon(ext), ...builtDaemonCandidates(ext)]);
    assert.deepEqual(resolveDaemonPath('devspaces', ext, () => missing).searched, ['/ext/devspaces'], 'a bare name is never looked up on PATH');
  });

  it('Makes_The_Package_Daemon_Executable_But_Never_Changes_A_File_The_User_Named', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-path-'));
    try {
      const ours = bundledDaemon(folder);
      fs.mkdirSync(path.dirname(ours), { recursive: true });
      fs.writeFileSync(ours, '#!/bin/sh\n', { mode: 0o644 });
      const theirs = path.join(folder, 'theirs');
      fs.writeFileSync(theirs, '#!/bin/sh\n', { mode: 0o644 });

      const user = resolveDaemonPath(theirs, folder);
      assert.equal(user.path, undefined);
      assert.deepEqual(user.notExecutable, { file: theirs, reason: 'it is not executable' });
      assert.equal(fs.statSync(theirs).mode & 0o111, 0, "the user's file is left as it was");

      assert.equal(resolveDaemonPath(undefined, folder).path, ours);
      assert.notEqual(fs.statSync(ours).mode & 0o100, 0, 'the package daemon got its execute bit');
      assert.deepEqual(checkFile(folder, true), { kind: 'notExecutable', reason: 'it is not a file' });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
