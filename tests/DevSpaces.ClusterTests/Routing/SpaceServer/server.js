// Test server for routing: one version of a service, answering which space it runs in.
//   GET /      -> {"service","space","routeAs","host"}
//   GET /call  -> the same, plus "next": the answer of DOWNSTREAM's "/" called with the routing headers passed on.
//   GET /drop  -> like /call, but only W3C traceparent is passed on: the routing key is dropped.
//   WebSocket upgrade on any path -> one text message, the same JSON as GET /, then the server closes.
//   Port 8081: HTTP/2 without TLS (h2c, as gRPC speaks it) -> the same JSON as GET /, plus "protocol".
'use strict';
const crypto = require('crypto');
const http = require('http');
const http2 = require('http2');

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
  const dropping = req.url.startsWith('/drop');
  if (!(req.url.startsWith('/call') || dropping) || !DOWNSTREAM) {
    reply(200, self(req));
    return;
  }
  const headers = {};
  for (const name of dropping ? ['traceparent'] : PROPAGATED) {
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
}).on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const text = Buffer.from(JSON.stringify(self(req)));
  // One unmasked text frame (payload under 64 KiB), then a close frame.
  const head = text.length < 126 ? Buffer.from([0x81, text.length]) : Buffer.from([0x81, 126, text.length >> 8, text.length & 0xff]);
  socket.write(Buffer.concat([head, text, Buffer.from([0x88, 0])]));
  socket.on('data', () => socket.end());
  socket.on('error', () => socket.destroy());
}).listen(8080);

http2.createServer((req, res) => {
  const text = JSON.stringify({ ...self(req), host: req.headers[':authority'] || null, protocol: `HTTP/${req.httpVersion}` });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(text);
}).listen(8081);
