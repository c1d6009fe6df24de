/** How long {@link waitUntil} keeps trying, and how often. */
export interface WaitOptions {
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number;
  /** Pause between attempts, in milliseconds. Default 20. */
  readonly intervalMs?: number;
}

/** Thrown by a probe when waiting longer cannot help (the process being waited for died). */
export class WaitAborted extends Error {
  override readonly name = 'WaitAborted';
}

/**
 * Polls `probe` until it returns a value other than `undefined`, and returns that value. Fails
 * loudly after `timeoutMs` with `what` in the message and the last probe error, if any, so a test
 * that waits for a condition never hangs and never passes by accident.
 *
 * A probe that throws counts as "not yet" (servers refuse connections until they are listening),
 * except with {@link WaitAborted}, which ends the wait at once.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  const intervalMs = options.intervalMs ?? 20;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof WaitAborted) throw error;
      lastError = error;
    }
    if (performance.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
