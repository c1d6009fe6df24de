import { storageContractSuite } from '@raft/conformance/storage-suite';
import { LevelStorage } from '../src/index.js';

storageContractSuite('LevelStorage', { open: (dir) => LevelStorage.open(dir) });
// Tiny chunks: every snapshot case also runs across many chunks and partial ones.
storageContractSuite('LevelStorage with 1000-byte snapshot chunks', { open: (dir) => LevelStorage.open(dir, { snapshotChunkBytes: 1000 }) });
