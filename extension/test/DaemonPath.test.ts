import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtDaemonCandidates, resolveDaemonPath } from '../src/daemon/DaemonPath';

describe('Daemon path', () => {
  const ext = '/ext';

  it('Defaults_To_The_Release_Build_Then_The_Debug_Build_Of_The_Repository', () => {
    const [release, debug] = builtDaemonCandidates(ext);
    assert.equal(release, '/ext/daemon/DevSpaces.Cli/bin/Release/net10.0/devspaces');
    assert.equal(debug, '/ext/daemon/DevSpaces.Cli/bin/Debug/net10.0/devspaces');
    assert.equal(resolveDaemonPath(undefined, ext, (f) => f === debug).path, debug);
    assert.equal(resolveDaemonPath('', ext, () => true).path, release);
  });

  it('Uses_A_Configured_Path_As_Absolute_Or_Relative_To_The_Extension', () => {
    assert.equal(resolveDaemonPath('/opt/devspaces/devspaces', ext, () => true).path, '/opt/devspaces/devspaces');
    assert.equal(resolveDaemonPath('tools/devspaces', ext, () => true).path, '/ext/tools/devspaces');
  });

  it('Reports_Every_Place_It_Looked_When_Nothing_Is_There', () => {
    const result = resolveDaemonPath(undefined, ext, () => false);
    assert.equal(result.path, undefined);
    assert.deepEqual(result.searched, builtDaemonCandidates(ext));
    assert.deepEqual(resolveDaemonPath('devspaces', ext, () => false).searched, ['/ext/devspaces'], 'a bare name is never looked up on PATH');
  });
});
