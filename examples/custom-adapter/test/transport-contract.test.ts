// Runs the transport contract suite of @raft/conformance against TcpTransport, exactly as the
// author of any transport adapter would: a factory that builds a fresh cluster per test.
import { transportContractSuite } from '@raft/conformance/transport-suite';
import { freeLoopbackAddresses, TcpTransport } from '../src/index.js';

const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

transportContractSuite(
  'TcpTransport',
  {
    async create(ids, clusterId) {
      const addresses = await freeLoopbackAddresses(ids); // fixed for the cluster's life, so a reopened node keeps its address
      return {
        open: (id) => new TcpTransport({ id, clusterId, listen: addresses.get(id)!, peers: addresses, maxMessageBytes: MAX_MESSAGE_BYTES }),
        dispose: async () => {}, // the suite closes every transport it opened; nothing else is shared
      };
    },
  },
  // TcpTransport refuses messages over maxMessageBytes, so declare it: the suite then checks that
  // such a send returns false.
  { overLimitBytes: MAX_MESSAGE_BYTES + 1 },
);
