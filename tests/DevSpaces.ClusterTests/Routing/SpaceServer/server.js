// Test server for routing: one version of a service, answering which space it runs in.
//   GET /      -> {"service","space","routeAs","host"}
//   GET /call  -> the same, plus "next": the answer of DOWNSTREAM's "/" called with the routing headers passed on.
'use strict';
const http = require('http');

const SERVICE = process.env.SERVICE || 'unknown';
const SPACE = process.env.SPACE || 'unknown';
const DOWNSTREAM = process.env.DOWNSTREAM || '';
const PROPAGATED = ['devspaces-route-as', 'baggage'];

function self(req) {
  return { service: SERVICE, space: SPACE, routeAs: req.headers['devspaces-route-as'] || null, host: req.headers.host || null };
}

http.createServer((req, res) => {
  const reply = (status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (!req.url.startsWith('/call') || !DOWNSTREAM) {
    reply(200, self(req));
    return;
  }
  const headers = {};
  for (const name of PROPAGATED) {
    if (req.headers[name] !== undefined) headers[name] = req.headers[name];
  }
  // A connection per call: a kept-alive one would stay with the pod it first reached when the Service moves.
  const call = http.get(`http://${DOWNSTREAM}/`, { headers, timeout: 5000, agent: false }, (answer) => {
    let data = '';
    answer.setEncoding('utf8');
    answer.on('data', (chunk) => { data += chunk; });
    answer.on('end', () => {
      let next;
      try { next = JSON.parse(data); } catch { next = { error: data }; }
      reply(200, { ...self(req), next });
    });
  });
  call.on('timeout', () => call.destroy(new Error('timeout')));
  call.on('error', (e) => reply(502, { ...self(req), next: { error: e.message } }));
}).listen(8080);
