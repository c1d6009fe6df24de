/**
 * `@raft/storage-level`: durable Raft storage over LevelDB (classic-level), an embedded
 * log-structured key-value engine.
 *
 * @packageDocumentation
 */
export { LevelStorage, type LevelStorageOptions } from './level-storage.js';
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError, StorageFormatError } from './errors.js';
