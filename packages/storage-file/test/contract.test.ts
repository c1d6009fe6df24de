import { storageContractSuite, storageCorruptionSuite } from '@raft/conformance/storage-suite';
import { FileStorage } from '../src/index.js';

storageContractSuite('FileStorage', { open: (dir) => FileStorage.open(dir) });
// Tiny segments: every case also runs across many rollovers and whole-segment compactions.
storageContractSuite('FileStorage with 4 KiB segments', { open: (dir) => FileStorage.open(dir, { segmentBytes: 4096 }) });
// A segment per write: every segment header and every whole-segment deletion is exercised.
storageContractSuite('FileStorage with a segment per write', { open: (dir) => FileStorage.open(dir, { segmentBytes: 1 }) });
storageCorruptionSuite('FileStorage with 1 KiB segments', { open: (dir) => FileStorage.open(dir, { segmentBytes: 1024 }) });
