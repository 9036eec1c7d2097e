'use strict';
// Front end of the DevSpaces sample: renders what the API returned and proxies it as JSON.
// Only Node's own modules, so the image needs no package install.

const http = require('node:http');
const os = require('node:os');

const SERVICE = 'frontend';
const ROUTE_AS = 'devspaces-route-as';
const BAGGAGE = 'baggage';
const PROPAGATED = [ROUTE_AS, BAGGAGE];
const UPSTREAM_TIMEOUT_MS = 8000;

function fail(message) {
  process.stderr.write(`${SERVICE}: ${message}\n`);
  process.exit(2);
}

function readSettings(env) {
  const nonBlank = (v) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const portText = nonBlank(env.PORT);
  const port = portText === undefined ? 8080 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`PORT must be a number between 1 and 65535, got '${portText}'`);
  }
  const apiText = nonBlank(env.API_URL) ?? 'http://api';
  let apiUrl;
  try {
    apiUrl = new URL(apiText);
  } catch {
    apiUrl = undefined;
  }
  if (!apiUrl || (apiUrl.protocol !== 'http:' && apiUrl.protocol !== 'https:')) {
    fail(`API_URL must be an absolute http(s) URL such as http://api or http://127.0.0.1:8081, got '${apiText}'`);
  }
  if (!apiUrl.pathname.endsWith('/')) apiUrl.pathname += '/';
  return {
    port,
    apiUrl,
    version: nonBlank(env.SERVICE_VERSION) ?? '1.0.0',
    space: nonBlank(env.DEVSPACES_SPACE) ?? nonBlank(env.POD_NAMESPACE) ?? 'local',
  };
}

const settings = readSettings(process.env);
const identity = {
  service: SERVICE,
  version: settings.version,
  runtime: `node ${process.version}`,
  hostname: os.hostname(),
  space: settings.space,
};

function headerOrNull(req, name) {
  const value = req.headers[name];
  if (value === undefined || value === '') return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

// Calls the API with the routing headers of the request being served, so dev-space routing works.
async function callApi(req) {
  const url = new URL('greeting', settings.apiUrl);
  const headers = { accept: 'application/json' };
  for (const name of PROPAGATED) {
    const value = headerOrNull(req, name);
    if (value !== null) headers[name] = value;
  }
  let response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (e) {
    const reason = e.name === 'TimeoutError'
      ? `did not answer within ${UPSTREAM_TIMEOUT_MS / 1000}s`
      : `unreachable: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
    return { ok: false, error: `api at ${url} ${reason}` };
  }
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: `api at ${url} returned invalid JSON (${response.status}): ${text.slice(0, 200)}` };
  }
  if (!response.ok) {
    return { ok: false, error: `api at ${url} answered ${response.status}: ${body.error ?? text.slice(0, 200)}`, api: body };
  }
  return { ok: true, api: body };
}

async function greeting(req) {
  const result = await callApi(req);
  const body = { ...identity, routeAs: headerOrNull(req, ROUTE_AS), baggage: headerOrNull(req, BAGGAGE) };
  if (result.ok) {
    body.api = result.api;
    return { status: 200, body };
  }
  body.error = result.error;
  if (result.api !== undefined) body.api = result.api;
  return { status: 502, body };
}

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function renderPage(status, body) {
  const hops = [body, body.api, body.api?.quotes].filter((h) => h && typeof h === 'object' && h.service);
  const quote = body.api?.quotes?.quote;
  const rows = hops.map((h) => `<tr><td>${escapeHtml(h.service)}</td><td>${escapeHtml(h.version)}</td>`
    + `<td>${escapeHtml(h.runtime)}</td><td>${escapeHtml(h.hostname)}</td><td>${escapeHtml(h.space)}</td>`
    + `<td>${escapeHtml(h.routeAs ?? '-')}</td></tr>`).join('\n');
  const main = status === 200
    ? `<p class="message">${escapeHtml(body.api.message)}</p>
  <blockquote>${escapeHtml(quote?.text)}<footer>${escapeHtml(quote?.author)}</footer></blockquote>`
    : `<p class="error">The API could not be reached: ${escapeHtml(body.error)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DevSpaces sample</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; color: #1b1f24; }
  blockquote { font-size: 1.4rem; border-left: 4px solid #3b82f6; margin: 1.5rem 0; padding: .5rem 1rem; }
  footer { font-size: 1rem; color: #555; margin-top: .5rem; }
  footer::before { content: "— "; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
  .error { color: #b91c1c; font-weight: 600; }
</style>
</head>
<body>
<h1>DevSpaces sample</h1>
${main}
<h2>Request path</h2>
<table>
<thead><tr><th>service</th><th>version</th><th>runtime</th><th>host</th><th>space</th><th>route-as</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p><a href="/api/greeting">/api/greeting</a> returns the same as JSON.</p>
</body>
</html>
`;
}

function send(res, status, contentType, text, isHead) {
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': payload.length,
    'cache-control': 'no-store',
  });
  res.end(isHead ? undefined : payload);
}

const sendJson = (res, status, body, isHead) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), isHead);

async function route(req, res) {
  const path = req.url.split('?')[0];
  const isHead = req.method === 'HEAD';
  if (req.method !== 'GET' && !isHead) {
    res.setHeader('allow', 'GET, HEAD');
    return sendJson(res, 405, { service: SERVICE, error: `method ${req.method} not allowed; use GET` }, false);
  }
  if (path === '/healthz') {
    return sendJson(res, 200, { status: 'ok', service: SERVICE }, isHead);
  }
  if (path === '/api/greeting') {
    const { status, body } = await greeting(req);
    return sendJson(res, status, body, isHead);
  }
  if (path === '/') {
    const { status, body } = await greeting(req);
    return send(res, status, 'text/html; charset=utf-8', renderPage(status, body), isHead);
  }
  return sendJson(res, 404, { service: SERVICE, error: `no route for ${path}; try GET /, GET /api/greeting or GET /healthz` }, isHead);
}

const server = http.createServer((req, res) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number((process.hrtime.bigint() - started) / 1000000n);
    const routeAs = headerOrNull(req, ROUTE_AS) ?? '-';
    process.stdout.write(`${new Date().toISOString()} ${SERVICE} ${req.method} ${req.url.split('?')[0]} ${res.statusCode} ${ms}ms route-as=${routeAs}\n`);
  });
  route(req, res).catch((e) => {
    process.stderr.write(`${new Date().toISOString()} ${SERVICE} error handling ${req.method} ${req.url}: ${e.stack ?? e}\n`);
    if (!res.headersSent) sendJson(res, 500, { service: SERVICE, error: 'internal error' }, false);
    else res.destroy();
  });
});

server.on('error', (e) => fail(`cannot listen on 0.0.0.0:${settings.port}: ${e.message}`));
server.listen(settings.port, '0.0.0.0', () => {
  process.stdout.write(`${new Date().toISOString()} ${SERVICE} listening on 0.0.0.0:${settings.port} `
    + `(version ${identity.version}, space ${identity.space}, api at ${settings.apiUrl.href}, ${identity.runtime})\n`);
});

// Node as PID 1 in a container gets no default SIGTERM handling: stop accepting, let in-flight
// requests finish, and give up on stragglers after a bound.
let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${new Date().toISOString()} ${SERVICE} received ${signal}, draining\n`);
  const force = setTimeout(() => {
    process.stdout.write(`${new Date().toISOString()} ${SERVICE} closing remaining connections\n`);
    server.closeAllConnections();
  }, 10000);
  force.unref();
  server.close(() => {
    process.stdout.write(`${new Date().toISOString()} ${SERVICE} stopped\n`);
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
