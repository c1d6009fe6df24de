import { storageContractSuite } from '@raft/conformance/storage-suite';
import { LmdbStorage } from '../src/index.js';

storageContractSuite('LmdbStorage', { open: (dir) => LmdbStorage.open(dir) });
// Tiny chunks: every snapshot case also runs across many chunks and partial ones.
storageContractSuite('LmdbStorage with 1000-byte snapshot chunks', { open: (dir) => LmdbStorage.open(dir, { snapshotChunkBytes: 1000 }) });
