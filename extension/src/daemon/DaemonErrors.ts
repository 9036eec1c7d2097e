/** The daemon could not be started at all (missing binary); restarting will not help. */
export class DaemonNotFoundError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DaemonNotFoundError';
  }
}

/** A request could not complete because the daemon is not there or died while handling it. */
export class DaemonUnavailableError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'DaemonUnavailableError';
  }
}
