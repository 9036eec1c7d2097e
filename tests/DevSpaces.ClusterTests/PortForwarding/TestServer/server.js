// Test and benchmark server for port forwarding.
//   7000 echo:   sends back every byte it receives.
//   7001 source: reads a decimal byte count and a newline, sends that many bytes, then closes.
//   8080 http:   GET /pod -> the pod name; anything else -> "pong".
'use strict';
const net = require('net');
const http = require('http');
const os = require('os');

net.createServer((socket) => socket.pipe(socket)).listen(7000);

const block = Buffer.alloc(1024 * 1024);
for (let i = 0; i < block.length; i++) block[i] = (i * 7919 + (i >> 11)) & 0xff;

net.createServer((socket) => {
  let header = '';
  const onData = (chunk) => {
    header += chunk.toString('latin1');
    const newline = header.indexOf('\n');
    if (newline < 0) return;
    socket.removeListener('data', onData);
    let left = Number.parseInt(header.slice(0, newline), 10);
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, block.length);
        left -= n;
        if (!socket.write(n === block.length ? block : block.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end();
    };
    pump();
  };
  socket.on('data', onData);
  socket.on('error', () => {});
}).listen(7001);

http.createServer((req, res) => {
  const body = req.url === '/pod' ? os.hostname() : 'pong';
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(8080);
