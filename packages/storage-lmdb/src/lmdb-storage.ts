import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KeyValueStorage, checked, markInUse, snapshotChunkBytes, type KeyValueStorageOptions } from '@raft/storage-kit';
import { IN_USE, checkDataFile } from './data-file.js';
import { LmdbEngine } from './lmdb-engine.js';
import { claimDirectory } from './owner.js';
import { openTables } from './tables.js';

/** Options of {@link LmdbStorage.open}. Each snapshot chunk is written in a commit of its own. */
export type LmdbStorageOptions = KeyValueStorageOptions;

/**
 * A durable {@link @raft/core!index.Storage | Storage} over LMDB, a transactional, memory-mapped key-value engine: every
 * `save()` is one LMDB transaction, fdatasync'd before it resolves, so entries and hard state land
 * together or not at all. Saves that arrive while a transaction is committing share the next one.
 * See the package README for the layout.
 *
 * @example
 * ```ts
 * const storage = await LmdbStorage.open('/var/lib/raft/node-1');
 * const { hardState, snapshot, entries } = await storage.load();
 * ```
 */
export class LmdbStorage extends KeyValueStorage {
  private constructor(dir: string, engine: LmdbEngine, chunkBytes: number) {
    super(dir, engine, 'LmdbStorage', chunkBytes);
  }

  /**
   * Opens (creating if needed) the data directory `dir` and claims it for this process. Recovery
   * happens in {@link LmdbStorage.load}.
   *
   * @throws DirectoryLockedError if another live process (or another LmdbStorage in this one) has it open.
   * @throws StorageCorruptionError if `data.mdb` is missing or cut short in a directory that was in use.
   * @throws StorageFailedError if LMDB cannot open it.
   */
  static async open(dir: string, options: LmdbStorageOptions = {}): Promise<LmdbStorage> {
    const chunkBytes = snapshotChunkBytes('LmdbStorage', options.snapshotChunkBytes);
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    await checkDataFile(absolute);
    const tables = openTables(absolute);
    try {
      checked(absolute, 'owner record', () => claimDirectory(tables, absolute));
    } catch (e) {
      await tables.root.close();
      throw e;
    }
    const storage = new LmdbStorage(absolute, new LmdbEngine(absolute, tables), chunkBytes);
    try {
      // Only now are LMDB's meta pages durable (the claim's commit synced them).
      await markInUse(absolute, IN_USE);
    } catch (e) {
      await storage.close();
      throw e;
    }
    return storage;
  }
}
