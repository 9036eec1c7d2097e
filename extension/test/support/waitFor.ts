/** Waits until a condition holds, failing with the reason after a timeout; never a bare sleep. */
export async function waitFor(condition: () => boolean, reason: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${reason}`);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Resolves with the first event that matches, or fails with the reason after a timeout. */
export function nextEvent<T>(
  event: (listener: (value: T) => void) => { dispose(): void },
  matches: (value: T) => boolean,
  reason: string,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${reason}`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (matches(value)) {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      }
    });
  });
}
