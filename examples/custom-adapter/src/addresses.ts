import { createServer } from 'node:net';
import type { NodeId } from '@raft/core';

/**
 * A free loopback address (`127.0.0.1:<port>`) for each id, picked by the kernel. Good enough for
 * tests and demos (another process could take a port before the node binds it); a deployment
 * configures fixed addresses instead.
 */
export async function freeLoopbackAddresses(ids: readonly NodeId[]): Promise<Map<NodeId, string>> {
  const servers = await Promise.all(
    ids.map(
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
        }),
    ),
  );
  const addresses = new Map<NodeId, string>();
  servers.forEach((server, i) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
    addresses.set(ids[i]!, `127.0.0.1:${address.port}`);
  });
  // Every port is held until all are picked, so no two ids get the same one.
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return addresses;
}
