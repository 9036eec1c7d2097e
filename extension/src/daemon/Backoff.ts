/**
 * Exponential back-off for daemon restarts: the first restart is quick, a daemon that keeps
 * crashing is retried less and less often, and one that stayed up for a while starts afresh.
 */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 30_000,
    /** A daemon that ran this long counts as healthy: its next crash restarts quickly again. */
    private readonly healthyAfterMs = 60_000,
  ) {}

  /** The delay before the next restart, given how long the daemon that just died had been up. */
  next(upTimeMs: number): number {
    if (upTimeMs >= this.healthyAfterMs) {
      this.failures = 0;
    }
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.failures);
    this.failures++;
    return delay;
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
