import { transportContractSuite } from '@raft/conformance/transport-suite';
import { MemoryNetwork } from '../src/index.js';

transportContractSuite('memory', {
  async create() {
    const network = new MemoryNetwork();
    return { open: (id) => network.endpoint(id), dispose: async () => {} };
  },
});
