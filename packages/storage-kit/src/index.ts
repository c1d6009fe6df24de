/**
 * `@raft/storage-kit`: building blocks for Raft storage adapters.
 *
 * - The storage errors every `@raft/storage-*` adapter throws — {@link StorageCorruptionError},
 *   {@link DirectoryLockedError}, {@link StorageFailedError} — one class each, whichever adapter
 *   threw it.
 * - {@link KeyValueStorage}: the storage contract over a key-value engine (LevelDB, LMDB, …) that an
 *   adapter supplies as a {@link KeyValueEngine}: the log mirrored in memory, group commit, chunked
 *   snapshots, a failed write failing the storage.
 * - Sealed values: every stored value starts with a CRC-32 of what follows ({@link seal},
 *   {@link unseal}), with codecs for hard state, indexes and snapshot records, and {@link checked}
 *   to name a damaged record; recovery checks shared by key-value adapters ({@link readMeta},
 *   {@link firstStoredIndex}, {@link checkLog}).
 * - Directory helpers: an {@link InUseMarker} that keeps an engine from silently starting an empty
 *   database in a directory that held data, {@link syncDirectory}, {@link isProcessAlive}.
 *
 * `@raft/storage-kit/testing` holds {@link testing!directoryLockSuite}, the lock tests every adapter runs.
 *
 * @packageDocumentation
 */
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError, describeError, type DirectoryLock } from './errors.js';
export { KeyValueStorage, snapshotChunkBytes, type KeyValueEngine, type KeyValueStorageOptions, type KeyValueWrite } from './key-value-storage.js';
export { BadRecord, SEAL_BYTES, indexSalt, readU64, seal, unseal, writeU64 } from './sealed.js';
export { decodeHardState, decodeIndex, decodeSnapshot, decodeU32, encodeHardState, encodeIndex, encodeSnapshot, encodeU32, type SnapshotRecord } from './records.js';
export { checked } from './checked.js';
export { checkLog, firstStoredIndex, readMeta, type LogMetaKey, type Recovered, type StoredMeta } from './recover.js';
export { fileSize, isMarkedInUse, markInUse, syncDirectory, type InUseMarker } from './directory.js';
export { isProcessAlive } from './owner.js';
