/**
 * `@raft/storage-level`: durable Raft storage over LevelDB (classic-level), an embedded
 * log-structured key-value engine.
 *
 * @packageDocumentation
 */
export { LevelStorage, type LevelStorageOptions } from './level-storage.js';
export { StorageFormatError } from './errors.js';
// The storage errors every adapter throws: one class each, whichever adapter threw it.
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError } from '@raft/storage-kit';
