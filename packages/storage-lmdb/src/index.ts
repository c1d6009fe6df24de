/**
 * `@raft/storage-lmdb`: durable Raft storage over LMDB, an embedded transactional key-value engine.
 *
 * @packageDocumentation
 */
export { LmdbStorage, type LmdbStorageOptions } from './lmdb-storage.js';
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError } from './errors.js';
