import { transportContractSuite } from '@raft/conformance/transport-suite';
import { MemoryNetwork, NetworkFaults, withFaults } from '../src/index.js';

transportContractSuite('memory', {
  async create() {
    const network = new MemoryNetwork();
    return { open: (id) => network.endpoint(id), dispose: async () => {} };
  },
});

transportContractSuite('memory wrapped by withFaults (no faults set)', {
  async create() {
    const network = new MemoryNetwork();
    const faults = new NetworkFaults();
    return { open: (id) => withFaults(network.endpoint(id), faults), dispose: async () => {} };
  },
});
