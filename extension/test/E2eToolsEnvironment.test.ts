import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

// extension/e2e/setup installs code-server with npm while `npm run test:e2e` runs it; the outer npm's
// environment must not reach those installs (npm-environment.sh).
const library = path.resolve(__dirname, '..', '..', 'e2e', 'npm-environment.sh');
const poisonedAgent = 'npm/0.0.0 node/v0.0.0 linux x64 workspaces/false';

/** What an outer `npm run` on another Node version exports to the scripts it starts. */
function outerNpmEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_user_agent: poisonedAgent,
    npm_config_prefix: '/outer/prefix',
    npm_config_node_gyp: '/outer/node-gyp.js',
    npm_config_nodedir: '/outer',
    npm_package_name: 'devspaces',
    npm_lifecycle_event: 'test:e2e',
    npm_lifecycle_script: 'bash extension/e2e/run',
    npm_command: 'run-script',
    npm_execpath: '/outer/npm-cli.js',
    npm_node_execpath: '/outer/node',
    INIT_CWD: '/outer/cwd',
    NODE: '/outer/node',
    npm_config_registry: 'http://mirror.invalid/npm/',
    npm_config_cafile: '/etc/mirror-ca.pem',
    npm_config_userconfig: '/home/someone/.npmrc',
    PATH: ['/repo/node_modules/.bin', '/outer/lib/node-gyp-bin', path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
  };
}

function withoutOuterNpm(command: string, env: NodeJS.ProcessEnv, cwd?: string): string {
  return execFileSync('bash', ['-c', `source "$0" && without_outer_npm ${command}`, library], { env, cwd, encoding: 'utf8' });
}

describe('Environment of the e2e tools install', () => {
  let project: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'devspaces-npm-env-'));
    fs.writeFileSync(path.join(project, 'package.json'),
      JSON.stringify({ name: 'agent-probe', private: true, scripts: { agent: 'echo "$npm_config_user_agent"' } }));
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it('Drops_What_The_Outer_Npm_Exports_And_Keeps_How_To_Reach_The_Registry', () => {
    const env = JSON.parse(withoutOuterNpm(
      `KEPT_SETTING=1 "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`,
      outerNpmEnvironment())) as Record<string, string>;

    for (const name of ['npm_config_user_agent', 'npm_config_prefix', 'npm_config_node_gyp', 'npm_config_nodedir', 'npm_package_name',
      'npm_lifecycle_event', 'npm_lifecycle_script', 'npm_command', 'npm_execpath', 'npm_node_execpath', 'INIT_CWD', 'NODE']) {
      assert.equal(env[name], undefined, `${name} reaches the inner command`);
    }
    assert.equal(env.npm_config_registry, 'http://mirror.invalid/npm/');
    assert.equal(env.npm_config_cafile, '/etc/mirror-ca.pem');
    assert.equal(env.npm_config_userconfig, '/home/someone/.npmrc');
    assert.equal(env.KEPT_SETTING, '1', 'settings given to without_outer_npm are kept');
    assert.deepEqual(env.PATH.split(':'), [path.dirname(process.execPath), '/usr/bin', '/bin'],
      'node_modules/.bin folders and the node-gyp shim of the outer npm leave PATH');
  });

  it('Lets_An_Inner_Npm_Report_Its_Own_Node_Version_To_Install_Scripts', () => {
    const env = outerNpmEnvironment();
    const inherited = execFileSync('npm', ['run', '--silent', 'agent'], { env, cwd: project, encoding: 'utf8' }).trim();
    const clean = withoutOuterNpm('npm run --silent agent', env, project).trim();

    assert.equal(inherited, poisonedAgent, 'an npm started with the outer environment takes its user agent');
    assert.notEqual(clean, poisonedAgent);
    assert.match(clean, /^npm\/\d+\.\d+\.\d+ node\/v\d+\.\d+\.\d+ /);
  });
});
