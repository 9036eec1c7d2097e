// End-to-end check of the sample app on loopback: builds the Java and .NET services, starts all three
// services as plain processes and checks the chain, header propagation, errors, logs and shutdown.
// Run: node --test samples/test/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const samples = dirname(dirname(fileURLToPath(import.meta.url)));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).on('error', reject));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(what, timeoutMs, condition) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

class Service {
  constructor(name, command, args, env, cwd) {
    this.name = name;
    this.output = '';
    this.process = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
    this.process.stdout.on('data', (d) => { this.output += d; });
    this.process.stderr.on('data', (d) => { this.output += d; });
  }

  async waitHealthy(port) {
    await waitFor(`${this.name} on port ${port} to answer /healthz; output so far:\n${this.output}`, START_TIMEOUT_MS, async () => {
      if (this.process.exitCode !== null) throw new Error(`${this.name} exited with ${this.process.exitCode}:\n${this.output}`);
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return response.ok;
    });
  }

  async stop() {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return this.exited;
    this.process.kill('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(() => resolve(undefined), STOP_TIMEOUT_MS).unref());
    const result = await Promise.race([this.exited, timeout]);
    if (result === undefined) {
      this.process.kill('SIGKILL');
      throw new Error(`${this.name} did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; output:\n${this.output}`);
    }
    return result;
  }
}

async function getJson(url, headers = {}) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${url} did not return JSON (${response.status}): ${text}`);
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') };
}

describe('sample app on loopback', () => {
  let work;
  const ports = {};
  const services = {};
  const started = [];

  const start = (name, command, args, env, cwd) => {
    const service = new Service(name, command, args, env, cwd);
    started.push(service);
    return service;
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'devspaces-sample-'));
    const sources = (await readdir(join(samples, 'quotes/src/io/devspaces/sample/quotes'))).map(
      (f) => join(samples, 'quotes/src/io/devspaces/sample/quotes', f));
    await run('javac', ['--release', '17', '-d', join(work, 'quotes'), ...sources]);
    await run('dotnet', ['build', join(samples, 'api/DevSpacesSample.Api.csproj'), '--configuration', 'Release',
      '--output', join(work, 'api'), '-nologo', '-verbosity:quiet'],
    { env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' } });

    for (const name of ['frontend', 'api', 'quotes', 'orphan']) ports[name] = await freePort();
    const common = { SERVICE_VERSION: '9.9.9', DEVSPACES_SPACE: 'loopback' };
    services.quotes = start('quotes', 'java', ['-cp', join(work, 'quotes'), 'io.devspaces.sample.quotes.QuotesServer'],
      { ...common, PORT: String(ports.quotes) });
    services.api = start('api', 'dotnet', [join(work, 'api', 'DevSpacesSample.Api.dll')],
      { ...common, PORT: String(ports.api), QUOTES_URL: `http://127.0.0.1:${ports.quotes}` });
    services.frontend = start('frontend', process.execPath, [join(samples, 'frontend/server.js')],
      { ...common, PORT: String(ports.frontend), API_URL: `http://127.0.0.1:${ports.api}` });
    // A front end whose API is not there, to check the error path.
    services.orphan = start('orphan frontend', process.execPath, [join(samples, 'frontend/server.js')],
      { PORT: String(ports.orphan), API_URL: `http://127.0.0.1:${await freePort()}` });
    await Promise.all(Object.keys(services).map((name) => services[name].waitHealthy(ports[name])));
  });

  after(async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('Greeting_Includes_A_Quote_From_The_Java_Service', async () => {
    const { status, body, contentType } = await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.match(contentType, /^application\/json/);
    assert.equal(body.service, 'frontend');
    assert.equal(body.api.service, 'api');
    assert.match(body.api.runtime, /^\.NET 10\./);
    assert.equal(body.api.quotes.service, 'quotes');
    assert.match(body.api.quotes.runtime, /^java 17/);
    assert.ok(body.api.quotes.quote.text.length > 0, 'quote text is empty');
    assert.ok(body.api.quotes.quote.author.length > 0, 'quote author is empty');
  });

  test('Every_Hop_Reports_Its_Version_Space_And_Hostname', async () => {
    const { body } = await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`);
    for (const hop of [body, body.api, body.api.quotes]) {
      assert.equal(hop.version, '9.9.9', `${hop.service} version`);
      assert.equal(hop.space, 'loopback', `${hop.service} space`);
      assert.ok(hop.hostname, `${hop.service} hostname`);
    }
  });

  test('Route_As_And_Baggage_Reach_Every_Hop', async () => {
    const headers = { 'devspaces-route-as': 'alice', baggage: 'devspaces.space=alice,userId=7' };
    const { status, body } = await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`, headers);
    assert.equal(status, 200);
    for (const hop of [body, body.api, body.api.quotes]) {
      assert.equal(hop.routeAs, 'alice', `${hop.service} saw route-as ${hop.routeAs}`);
      assert.equal(hop.baggage, 'devspaces.space=alice,userId=7', `${hop.service} saw baggage ${hop.baggage}`);
    }
  });

  test('Without_Routing_Headers_No_Hop_Invents_Them', async () => {
    const { body } = await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`);
    for (const hop of [body, body.api, body.api.quotes]) {
      assert.equal(hop.routeAs, null, `${hop.service} routeAs`);
      assert.equal(hop.baggage, null, `${hop.service} baggage`);
    }
  });

  test('Home_Page_Shows_The_Quote_And_Every_Hop', async () => {
    const response = await fetch(`http://127.0.0.1:${ports.frontend}/`, { headers: { 'devspaces-route-as': 'bob' } });
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^text\/html/);
    assert.match(html, /<blockquote>[^<]+<footer>[^<]+<\/footer><\/blockquote>/);
    for (const service of ['frontend', 'api', 'quotes']) {
      assert.match(html, new RegExp(`<tr><td>${service}</td>.*<td>bob</td></tr>`), `row of ${service}`);
    }
  });

  test('Api_And_Quotes_Answer_Directly', async () => {
    const api = await getJson(`http://127.0.0.1:${ports.api}/greeting`, { 'devspaces-route-as': 'carol' });
    assert.equal(api.status, 200);
    assert.equal(api.body.quotes.routeAs, 'carol');
    const quotes = await getJson(`http://127.0.0.1:${ports.quotes}/quote`);
    assert.equal(quotes.status, 200);
    assert.equal(quotes.body.service, 'quotes');
    for (const name of ['frontend', 'api', 'quotes']) {
      const health = await getJson(`http://127.0.0.1:${ports[name]}/healthz`);
      assert.deepEqual(health.body, { status: 'ok', service: name });
    }
  });

  test('Unknown_Paths_Get_404_With_A_Hint', async () => {
    for (const name of ['frontend', 'api', 'quotes']) {
      const { status, body } = await getJson(`http://127.0.0.1:${ports[name]}/no-such-page`);
      assert.equal(status, 404, name);
      assert.match(body.error, /no route for .*no-such-page; try GET/, name);
    }
  });

  test('Unreachable_Api_Gives_502_Naming_The_Url', async () => {
    const { status, body } = await getJson(`http://127.0.0.1:${ports.orphan}/api/greeting`);
    assert.equal(status, 502);
    assert.match(body.error, /^api at http:\/\/127\.0\.0\.1:\d+\/greeting unreachable/);
    const page = await fetch(`http://127.0.0.1:${ports.orphan}/`);
    assert.equal(page.status, 502);
    assert.match(await page.text(), /The API could not be reached/);
  });

  test('Every_Service_Logs_One_Line_Per_Request', async () => {
    await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`, { 'devspaces-route-as': 'log-check' });
    await waitFor('the request log line of every service', 5_000, async () =>
      ['frontend', 'api', 'quotes'].every((name) => services[name].output.includes('route-as=log-check')));
    const lines = (name) => services[name].output.split('\n').filter((l) => l.includes('route-as=log-check'));
    assert.match(lines('frontend').join('\n'), /^\S+ frontend GET \/api\/greeting 200 \d+ms route-as=log-check$/);
    assert.match(lines('api').join('\n'), /^\S+ api GET \/greeting 200 \d+ms route-as=log-check$/);
    assert.match(lines('quotes').join('\n'), /^\S+ quotes GET \/quote 200 \d+ms route-as=log-check$/);
  });

  test('Quotes_Down_Gives_502_Through_The_Whole_Chain', async () => {
    await services.quotes.stop();
    const { status, body } = await getJson(`http://127.0.0.1:${ports.frontend}/api/greeting`);
    assert.equal(status, 502);
    assert.equal(body.api.service, 'api');
    assert.match(body.api.error, /quotes service unreachable at http:\/\/127\.0\.0\.1:\d+\/quote/);
    assert.match(body.error, /^api at .* answered 502: quotes service unreachable/);
  });

  test('Sigterm_Stops_Every_Service_Gracefully', async () => {
    for (const name of ['quotes', 'api', 'frontend']) {
      const { code, signal } = await services[name].stop();
      // The JVM reports SIGTERM as 143 after its shutdown hooks ran; the others exit 0.
      assert.ok(code === 0 || (name === 'quotes' && code === 143), `${name} exited with code ${code}, signal ${signal}`);
      assert.match(services[name].output, new RegExp(`${name} stopped`), `${name} did not log its shutdown`);
    }
  });
});
