import { storageCorruptionSuite } from '@raft/conformance/storage-suite';
import { LmdbStorage } from '../src/index.js';

// LMDB trusts its file; what makes this pass is the adapter's own checks (see the README).
storageCorruptionSuite('LmdbStorage', { open: (dir) => LmdbStorage.open(dir) });
storageCorruptionSuite('LmdbStorage', { open: (dir) => LmdbStorage.open(dir), seed: 2, cases: 30 });
