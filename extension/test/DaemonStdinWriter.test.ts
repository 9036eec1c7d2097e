import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { RequestType, StreamMessageReader, createMessageConnection } from 'vscode-jsonrpc/node';
import { DaemonStdinWriter } from '../src/daemon/DaemonStdinWriter';

const Echo = new RequestType<{ text: string }, string, void>('test/echo');

describe('DaemonStdinWriter', () => {
  it('A_Write_To_A_Dead_Daemon_Is_Reported_As_An_Error_And_Does_Not_Reject', async () => {
    const stdin = new PassThrough();
    stdin.destroy();
    const writer = new DaemonStdinWriter(stdin);
    const errors: Error[] = [];
    writer.onError(([error]) => errors.push(error));

    await writer.write({ jsonrpc: '2.0' });

    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /destroyed/i);
  });

  it('A_Request_To_A_Dead_Daemon_Fails_When_The_Connection_Is_Disposed_Without_An_Unhandled_Rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): number => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stdin = new PassThrough();
      stdin.destroy();
      const connection = createMessageConnection(new StreamMessageReader(new PassThrough()), new DaemonStdinWriter(stdin));
      connection.listen();
      const request = connection.sendRequest(Echo, { text: 'hello' });
      const outcome = request.then(
        () => 'answered',
        (error: Error) => error.message,
      );
      // Let the failed write settle before the connection goes away, as when the exit event follows the write error.
      await new Promise((resolve) => setImmediate(resolve));
      connection.dispose();

      assert.match(await outcome, /disposed/);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
