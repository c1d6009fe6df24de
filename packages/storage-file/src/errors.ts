// The storage errors live in @raft/storage-kit, so that every adapter throws the same classes; the
// modules of this package import them from here.
export { StorageCorruptionError, DirectoryLockedError, StorageFailedError } from '@raft/storage-kit';
