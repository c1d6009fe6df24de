import { open, type Database, type RootDatabase } from 'lmdb';
import { StorageFailedError } from './errors.js';

/** Keys of the `meta` table. */
export type MetaKey = 'hardState' | 'firstIndex' | 'snapshot' | 'owner';

/**
 * The LMDB environment of a data directory (`data.mdb` and LMDB's own `lock.mdb`) and its named
 * tables. Values are raw bytes (see records.ts). Entry keys are their indexes, chunk keys
 * `[generation, sequence]`, both in lmdb's order-preserving key encoding.
 */
export interface Tables {
  readonly root: RootDatabase<Buffer, string>;
  /** Log entries by index. */
  readonly entries: Database<Buffer, number>;
  /** Hard state, first index, snapshot record, owner. */
  readonly meta: Database<Buffer, MetaKey>;
  /** Snapshot data in chunks. */
  readonly chunks: Database<Buffer, [number, number]>;
}

/**
 * Opens the environment in `dir` so that a commit resolves only once it is on disk: LMDB's default
 * commit fdatasyncs the data pages, then the meta page, before it returns. `overlappingSync`, which
 * lmdb-js enables by default on Linux and macOS, resolves commits before the flush (durability only
 * via `db.flushed`), so it is turned off; `noSync` and `noMetaSync` stay off.
 *
 * @throws StorageFailedError if LMDB cannot open the directory (permissions, not an LMDB file, …).
 */
export function openTables(dir: string): Tables {
  let root: RootDatabase<Buffer, string>;
  try {
    root = open<Buffer, string>({ path: dir, encoding: 'binary', overlappingSync: false, noSync: false, noMetaSync: false });
  } catch (e) {
    throw new StorageFailedError(dir, 'opening the LMDB environment', e);
  }
  return {
    root,
    entries: root.openDB<Buffer, number>({ name: 'entries', encoding: 'binary' }),
    meta: root.openDB<Buffer, MetaKey>({ name: 'meta', encoding: 'binary' }),
    chunks: root.openDB<Buffer, [number, number]>({ name: 'chunks', encoding: 'binary' }),
  };
}
