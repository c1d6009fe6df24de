/**
 * `@raft/storage-lmdb`: durable Raft storage over LMDB, an embedded transactional key-value engine.
 *
 * @packageDocumentation
 */
export { LmdbStorage, type LmdbStorageOptions } from './lmdb-storage.js';
// The storage errors every adapter throws: one class each, whichever adapter threw it.
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError } from '@raft/storage-kit';
