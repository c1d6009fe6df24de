import type { Router } from 'zeromq';

/** How long `bind` keeps retrying an address that is still in use. */
const BIND_RETRY_MS = 1000;
const BIND_RETRY_INTERVAL_MS = 50;

function inUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

/**
 * Binds `receiver` to `listen`. An address in use is retried for up to a second, since the
 * listener of the node's previous incarnation (a closed transport, a process being restarted) may
 * still be on its way out; `cancelled` stops the retries once the transport closes.
 *
 * @throws the last bind error once retrying is over, or at once for any other error.
 */
export async function bindReceiver(receiver: Router, listen: string, cancelled: () => boolean): Promise<void> {
  const deadline = performance.now() + BIND_RETRY_MS;
  for (;;) {
    try {
      await receiver.bind(listen);
      return;
    } catch (error) {
      if (!inUse(error) || cancelled() || performance.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, BIND_RETRY_INTERVAL_MS));
  }
}
