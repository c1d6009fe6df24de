import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Ports below Linux's ephemeral range (32768–60999 by default). A port the OS hands out for
 * `listen(0)` comes from the ephemeral range, where outgoing connections take their source ports
 * too: in a busy test run one of them can take the port before the node binds it. Picking from
 * below that range avoids the collision.
 */
const RANGE = { from: 20_000, to: 32_000 };

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` distinct TCP ports that were free on 127.0.0.1 a moment ago, outside the ephemeral
 * range. (Another process could still take one in between; the node then fails loudly with
 * EADDRINUSE.)
 * @throws Error when no free ports were found after many attempts.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempts = 0; ports.size < count; attempts++) {
    if (attempts > 1000) throw new Error(`could not find ${count} free ports in ${RANGE.from}–${RANGE.to} on 127.0.0.1`);
    const port = randomInt(RANGE.from, RANGE.to);
    if (!ports.has(port) && (await tryListen(port))) ports.add(port);
  }
  return [...ports];
}
