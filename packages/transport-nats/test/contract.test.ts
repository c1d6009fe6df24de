import { transportContractSuite, type TransportContractFactory } from '@raft/conformance/transport-suite';
import { afterAll, beforeAll } from 'vitest';
import { NatsTransport } from '../src/index.js';
import { NatsCluster, NatsServer } from '../src/testing/index.js';

const MiB = 1024 * 1024;
/** Lower than the default so the suite can check that a message over the limit is refused. */
const MAX_MESSAGE_BYTES = 8 * MiB;

/**
 * Transports for `ids` that each connect to the servers `serversFor(id)` gives, in that order. The
 * servers are started once per file (by `beforeAll`), so `dispose` has nothing of its own to release.
 */
function natsFactory(serversFor: (id: number) => string[]): TransportContractFactory {
  return {
    async create(ids, clusterId) {
      return {
        open: (id) =>
          new NatsTransport({
            id,
            cluster: clusterId,
            peers: ids,
            maxMessageBytes: MAX_MESSAGE_BYTES,
            maxReassemblyBytes: 2 * MAX_MESSAGE_BYTES,
            connection: { servers: serversFor(id), noRandomize: true },
          }),
        dispose: async () => {},
      };
    },
  };
}

const suiteOptions = { overLimitBytes: MAX_MESSAGE_BYTES + 1 };

let server: NatsServer | undefined;
let cluster: NatsCluster | undefined;

beforeAll(async () => {
  // A small max_payload, so the suite's large message is carried in chunks on both setups.
  server = await NatsServer.start({ maxPayload: 256 * 1024 });
  cluster = await NatsCluster.start({ size: 3, maxPayload: 256 * 1024 });
});
afterAll(async () => {
  await server?.stop();
  await cluster?.stop();
});

transportContractSuite(
  'nats (one server)',
  natsFactory(() => [server?.url ?? '']),
  suiteOptions,
);

// Node n connects first to server n mod 3, so every message crosses a route between servers.
transportContractSuite(
  'nats (three-server cluster, each node on its own server)',
  natsFactory((id) => {
    const urls = cluster?.urls ?? [];
    return urls.map((_, index) => urls[(id + index) % urls.length] ?? '');
  }),
  suiteOptions,
);
