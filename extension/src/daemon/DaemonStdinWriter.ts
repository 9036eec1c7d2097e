import { Message, StreamMessageWriter } from 'vscode-jsonrpc/node';

/**
 * Writes messages to the daemon's stdin without ever rejecting. vscode-jsonrpc's `sendRequest` rethrows a failed
 * write inside a promise executor, where nobody can catch it: once the daemon has died, every request would become an
 * unhandled `ERR_STREAM_DESTROYED` rejection. A failed write is still reported through `onError`, and the request it
 * carried is rejected when the connection is disposed as the process exits.
 */
export class DaemonStdinWriter extends StreamMessageWriter {
  override async write(msg: Message): Promise<void> {
    try {
      await super.write(msg);
    } catch {
      // Reported through onError by the base writer; the pending request fails when the connection is disposed.
    }
  }
}
