import { statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { StorageCorruptionError, StorageFailedError } from '@raft/storage-kit';
import { PAGE_BYTES } from './data-file.js';

/** Keys of the `meta` table. */
export type MetaKey = 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot' | 'owner';

/**
 * The LMDB environment of a data directory (`data.mdb` and LMDB's own `lock.mdb`) and its named
 * tables. Values are raw bytes (see records.ts). Entry keys are their indexes, chunk keys
 * `[generation, sequence]`, both in lmdb's order-preserving key encoding.
 */
export interface Tables {
  readonly root: RootDatabase<Buffer, string>;
  /** Log entries by index. */
  readonly entries: Database<Buffer, number>;
  /** Hard state, first and last index, snapshot record, owner. */
  readonly meta: Database<Buffer, MetaKey>;
  /** Snapshot data in chunks. */
  readonly chunks: Database<Buffer, [number, number]>;
}

/**
 * Opens the environment in `dir` so that a commit resolves only once it is on disk: LMDB's default
 * commit fdatasyncs the data pages, then the meta page, before it returns. `overlappingSync`, which
 * lmdb-js enables by default on Linux and macOS, resolves commits before the flush (durability only
 * via `db.flushed`), so it is turned off; `noSync` and `noMetaSync` stay off. The page size is
 * pinned so that checkDataFile knows the size of the meta pages whatever the OS page size.
 *
 * Call checkDataFile first: LMDB must not see a data file that is missing or cut short.
 *
 * @throws StorageFailedError if LMDB cannot open the directory (permissions, not an LMDB file, …).
 */
export function openTables(dir: string): Tables {
  let root: RootDatabase<Buffer, string>;
  try {
    root = open<Buffer, string>({ path: dir, encoding: 'binary', pageSize: PAGE_BYTES, overlappingSync: false, noSync: false, noMetaSync: false });
  } catch (e) {
    throw new StorageFailedError(dir, 'opening the LMDB environment', e);
  }
  try {
    checkNotCut(root, dir);
  } catch (e) {
    root.close();
    throw e;
  }
  return {
    root,
    entries: root.openDB<Buffer, number>({ name: 'entries', encoding: 'binary' }),
    meta: root.openDB<Buffer, MetaKey>({ name: 'meta', encoding: 'binary' }),
    chunks: root.openDB<Buffer, [number, number]>({ name: 'chunks', encoding: 'binary' }),
  };
}

/**
 * LMDB maps its file and trusts it: touching a page past the end of a file that was cut short
 * kills the process with SIGBUS. The meta page, read before any other page, says how many pages
 * the file must have, so a short file is reported here, before the first page is touched.
 *
 * @throws StorageCorruptionError if `data.mdb` is shorter than its meta page says.
 */
function checkNotCut(root: RootDatabase<Buffer, string>, dir: string): void {
  const { pageSize, lastPageNumber } = root.getStats() as { pageSize: number; lastPageNumber: number };
  const needed = (lastPageNumber + 1) * pageSize;
  const file = join(dir, 'data.mdb');
  const size = statSync(file).size;
  if (size < needed) throw new StorageCorruptionError(dir, file, `the file is ${size} bytes but LMDB's last page ends at byte ${needed}: it was cut short`);
}
