import { setTimeout as delay } from 'node:timers/promises';

/** How often a condition is re-checked while waiting for it. */
const POLL_MS = 5;

/**
 * Resolves once `condition()` holds; rejects after `timeoutMs` with `describe()` (called then, so
 * it can report the state at the deadline). Conditions are polled because a transport offers no
 * event for "the peer has reconnected" or "the socket is released".
 */
export async function waitUntil(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await delay(POLL_MS);
  }
}
