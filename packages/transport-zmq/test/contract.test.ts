import { transportContractSuite } from '@raft/conformance/transport-suite';
import { ZmqTransport } from '../src/index.js';
import { loopbackAddresses, peersOf } from './fixtures.js';

const MiB = 1024 * 1024;
/** Lower than the default so the suite can check that a message over the limit is refused. */
const MAX_MESSAGE_BYTES = 8 * MiB;

transportContractSuite(
  'zmq',
  {
    async create(ids, clusterId) {
      const addresses = await loopbackAddresses(ids);
      return {
        open: (id) =>
          new ZmqTransport({
            id,
            clusterId,
            listen: addresses.get(id)!,
            peers: peersOf(id, addresses),
            maxMessageBytes: MAX_MESSAGE_BYTES,
          }),
        // Every socket belongs to a transport, which the suite closes itself.
        dispose: async () => {},
      };
    },
  },
  { overLimitBytes: MAX_MESSAGE_BYTES + 1 },
);
