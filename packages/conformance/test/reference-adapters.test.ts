// The contract suites run against the in-memory reference adapters here, in the package that
// owns the suites: the adapters' own packages cannot depend on @raft/conformance without a
// workspace cycle (conformance → log → the memory adapters, which log's tests use).
import type { Storage } from '@raft/core';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork, NetworkFaults, withFaults } from '@raft/transport-memory';
import { storageContractSuite } from '../src/contracts/storage-suite.js';
import { transportContractSuite } from '../src/contracts/transport-suite.js';

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

// One retained state per directory, so that reopening a directory is a simulated restart.
const byDir = new Map<string, MemoryStorage>();
storageContractSuite('MemoryStorage', {
  open(dir): Storage {
    const previous = byDir.get(dir);
    const storage = previous === undefined ? new MemoryStorage() : previous.reopen();
    byDir.set(dir, storage);
    return storage;
  },
});
