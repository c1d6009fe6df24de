import { storageCorruptionSuite } from '@raft/conformance/storage-suite';
import { LevelStorage } from '../src/index.js';

// LevelDB drops damaged log records and skips checksums on reads; what makes this pass is the
// adapter's own checks (see the README).
storageCorruptionSuite('LevelStorage', { open: (dir) => LevelStorage.open(dir) });
storageCorruptionSuite('LevelStorage', { open: (dir) => LevelStorage.open(dir), seed: 2, cases: 30 });
