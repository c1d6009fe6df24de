/**
 * `@raft/storage-file`: the default durable storage for `@raft/log` — a segmented, checksummed,
 * fdatasync'd write-ahead log with group commit, plus snapshot files.
 *
 * @packageDocumentation
 */
export { FileStorage, type FileStorageOptions } from './file-storage.js';
export type { TornTail } from './wal-recovery.js';
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError } from './errors.js';
