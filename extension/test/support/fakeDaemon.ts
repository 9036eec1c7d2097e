// A stand-in daemon process for the supervisor tests: it speaks the real framing over stdio and
// answers `initialize` and `shutdown`, plus test-only requests to crash or to hang.
import {
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';

const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
const argv = process.argv.slice(2);
process.stderr.write(`fake daemon started with ${argv.join(' ')}\n`);
if (argv.includes('--exit-at-start')) {
  process.stderr.write('Unhandled exception. System.DllNotFoundException: libicu\n');
  process.exit(3);
}
if (argv.includes('--log-levels')) {
  // As the daemon's TextWriterLog writes them.
  for (const level of ['DEBUG  ', 'INFO   ', 'WARNING', 'ERROR  ']) {
    process.stderr.write(`2026-11-29T18:00:00.000Z ${level} a ${level.trim().toLowerCase()} line\n`);
  }
  process.stderr.write('  and its continuation\n');
}

connection.onRequest('initialize', () => {
  if (argv.includes('--refuse-initialize')) {
    throw new Error('initialize refused');
  }
  return { version: '0.0.0-fake', protocolVersion: 1, capabilities: [], workspaceFolder: null };
});
connection.onRequest('shutdown', () => {
  setImmediate(() => process.exit(0));
  return null;
});
connection.onRequest('test/echo', (params: { text: string }) => ({ text: params.text, pid: process.pid }));
connection.onRequest('test/crash', () => {
  process.stderr.write('fake daemon crashing on request\n');
  process.exit(3);
});
connection.onRequest('test/protocolError', () => {
  process.stderr.write('2026-01-01T00:00:00.000Z INFO    daemon exiting: protocol error: a malformed message header\n');
  process.exit(3);
});
connection.onRequest('test/notify', async (params: { text: string }) => {
  await connection.sendNotification('test/note', { text: params.text });
  return null;
});
connection.onRequest('test/hang', () => new Promise<never>(() => undefined));
connection.onClose(() => process.exit(0));
connection.listen();
