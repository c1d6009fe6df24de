import type { Socket } from 'zeromq';

/** How long binding keeps retrying an address that is still in use. */
const BIND_RETRY_MS = 1000;
const BIND_RETRY_INTERVAL_MS = 50;

function inUse(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'EADDRINUSE';
}

/**
 * Binds `socket` to `address`. An address in use is retried for up to a second, since the socket
 * that held it before (the listener of a closed transport or of a process being restarted, or a
 * ZAP handler just closed) may still be on its way out; `cancelled` stops the retries.
 *
 * @throws the last bind error once retrying is over, or at once for any other error.
 */
export async function bindRetrying(socket: Pick<Socket, 'bind'>, address: string, cancelled: () => boolean): Promise<void> {
  const deadline = performance.now() + BIND_RETRY_MS;
  for (;;) {
    try {
      await socket.bind(address);
      return;
    } catch (error) {
      if (!inUse(error) || cancelled() || performance.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, BIND_RETRY_INTERVAL_MS));
  }
}
