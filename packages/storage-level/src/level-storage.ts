import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { KeyValueStorage, snapshotChunkBytes, type KeyValueStorageOptions } from '@raft/storage-kit';
import { openDb } from './db.js';
import { wasInUse } from './directory.js';
import { checkFormat } from './format.js';
import { LevelEngine } from './level-engine.js';
import { checkLogs } from './wal-check.js';

/** Options of {@link LevelStorage.open}. Each snapshot chunk is a synced write of its own. */
export type LevelStorageOptions = KeyValueStorageOptions;

/**
 * A durable {@link @raft/core!index.Storage | Storage} over LevelDB (through classic-level), a log-structured key-value
 * engine: every `save()` is one atomic LevelDB write batch — one record appended to LevelDB's log
 * and one fdatasync — before it resolves, so entries and hard state land together or not at all.
 * Writes that arrive while a batch is being written share the next one, and the entries of that
 * group commit are stored as one value. See the package README for the layout.
 *
 * @example
 * ```ts
 * const storage = await LevelStorage.open('/var/lib/raft/node-1');
 * const { hardState, snapshot, entries } = await storage.load();
 * ```
 */
export class LevelStorage extends KeyValueStorage {
  private constructor(dir: string, engine: LevelEngine, chunkBytes: number) {
    super(dir, engine, 'LevelStorage', chunkBytes);
  }

  /**
   * Opens (creating if needed) the data directory `dir`, taking LevelDB's lock on it. LevelDB's
   * log is checked before LevelDB replays it; the records are checked in {@link LevelStorage.load}.
   *
   * @throws DirectoryLockedError if another process (or another LevelStorage in this one) has it open.
   * @throws StorageCorruptionError if LevelDB's files are damaged, or `CURRENT` is missing in a
   *   directory that was in use.
   * @throws StorageFormatError if the directory holds another on-disk format (another version of
   *   this package wrote it).
   * @throws StorageFailedError if LevelDB cannot open it.
   */
  static async open(dir: string, options: LevelStorageOptions = {}): Promise<LevelStorage> {
    const chunkBytes = snapshotChunkBytes('LevelStorage', options.snapshotChunkBytes);
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    const inUse = await wasInUse(absolute);
    await checkLogs(absolute);
    const db = await openDb(absolute, !inUse);
    let formatStored: boolean;
    try {
      formatStored = await checkFormat(db, absolute);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new LevelStorage(absolute, new LevelEngine(absolute, db, inUse, formatStored), chunkBytes);
  }
}
