import { curveKeyPair } from 'zeromq';
import { afterAll, expect } from 'vitest';
import { transportContractSuite } from '@raft/conformance/transport-suite';
import { ZmqTransport } from '../src/index.js';
import { zapHandlerState } from '../src/zap.js';
import { loopbackAddresses, peersOf } from './fixtures.js';

const MiB = 1024 * 1024;
const MAX_MESSAGE_BYTES = 8 * MiB;

// The contract suite with CURVE: every transport of the process shares the ZAP handler that
// authenticates clients, through restarts and closes of some of them. Its "dead peer" case made
// libzmq 4.3.5 abort the worker (session_base.cpp:233) in about 1 run in 4 while batches were
// multipart ZeroMQ messages; see the wire format in README.md.
transportContractSuite(
  'zmq with CURVE',
  {
    async create(ids, clusterId) {
      const addresses = await loopbackAddresses(ids);
      const keys = new Map(ids.map((id) => [id, curveKeyPair()]));
      return {
        open: (id) =>
          new ZmqTransport({
            id,
            clusterId,
            listen: addresses.get(id)!,
            peers: peersOf(id, addresses),
            maxMessageBytes: MAX_MESSAGE_BYTES,
            curve: { ...keys.get(id)!, peerKeys: new Map([...keys].filter(([peer]) => peer !== id).map(([peer, pair]) => [peer, pair.publicKey])) },
          }),
        dispose: async () => {},
      };
    },
  },
  { overLimitBytes: MAX_MESSAGE_BYTES + 1 },
);

afterAll(() => {
  // Every transport was closed by the suite: the ZAP handler must have been released with the last.
  expect(zapHandlerState()).toEqual({ open: false, domains: 0 });
});
