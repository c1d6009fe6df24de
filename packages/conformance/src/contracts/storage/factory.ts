import type { Storage } from '@raft/core';

/**
 * How the contract suite creates the storage under test.
 *
 * @example
 * ```ts
 * storageContractSuite('my-storage', { open: (dir) => MyStorage.open(dir) });
 * ```
 */
export interface StorageFactory {
  /**
   * Opens the storage kept in `dir` (a fresh, empty directory the suite owns), or reopens it when
   * called again with the same directory. Adapters that keep nothing on disk may ignore `dir`.
   * The suite calls `load()` itself.
   */
  open(dir: string): Storage | Promise<Storage>;
  /**
   * Whether closing and reopening the same directory gives back what was saved. `false` (e.g. an
   * in-memory storage) skips the durability cases. Defaults to `true`.
   */
  readonly reopen?: boolean;
}
