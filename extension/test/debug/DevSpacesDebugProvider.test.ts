import { recorded } from '../support/fakeVscode';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { devSpacesDebugType, dotNetDebuggerNeeded } from '../../src/debug/attachConfiguration';
import * as rpc from '../../src/protocol/methods';
import { Harness, createHarness } from '../support/harness';

type Provider = {
  resolveDebugConfigurationWithSubstitutedVariables(folder: undefined, config: Record<string, unknown>): Promise<unknown>;
};

let harness: Harness;
let folder: string;
beforeEach(() => {
  harness = createHarness();
  harness.daemon.setState({ kind: 'running', version: '0.1.0', pid: 42 });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-f5-'));
  fs.writeFileSync(path.join(folder, 'Api.csproj'), '<Project Sdk="Microsoft.NET.Sdk.Web" />\n');
  fs.writeFileSync(path.join(folder, 'devspaces.yaml'), 'version: 1\nservice: api\n');
});
afterEach(() => {
  harness.dispose();
  fs.rmSync(folder, { recursive: true, force: true });
  recorded.configuration.clear();
});

describe('F5 on a .NET service', () => {
  it('Without_A_Debugger_Shows_What_Is_Needed_And_Starts_Nothing', async () => {
    const saved = process.env['DEVSPACES_DOTNET_DEBUGGER'];
    delete process.env['DEVSPACES_DOTNET_DEBUGGER'];
    let started = 0;
    harness.daemon.handle(rpc.StartUp.type, () => {
      started++;
      throw new Error('not expected');
    });
    try {
      const provider = recorded.debugProviders.get(devSpacesDebugType) as Provider;
      const result = await provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, { type: devSpacesDebugType, request: 'launch', name: 'F5', folder });
      assert.equal(result, undefined);
      assert.deepEqual(
        recorded.messages.map((m) => [m.severity, m.text]),
        [['error', dotNetDebuggerNeeded]],
      );
      assert.equal(started, 0, 'nothing is built or deployed');
      assert.equal(recorded.startedDebugging.length, 0);
    } finally {
      if (saved !== undefined) {
        process.env['DEVSPACES_DOTNET_DEBUGGER'] = saved;
      }
    }
  });
});
