import { NONE, StoredLog, type Entry, type HardState } from '@raft/core';
import { LogRecords } from './batch.js';
import { checked } from './checked.js';
import { readError, type Db } from './db.js';
import { StorageCorruptionError } from './errors.js';
import { RECORDS_END, RECORDS_START, metaKey, recordStart, type MetaKey } from './keys.js';
import { decodeHardState, decodeIndex, decodeRecord, decodeSnapshot, type SnapshotRecord } from './records.js';

const NEW_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/** What a data directory holds, checked. */
export interface Recovered {
  readonly hardState: HardState;
  readonly snapshot: SnapshotRecord | undefined;
  /** The entries after the snapshot. */
  readonly log: StoredLog;
  /**
   * First index stored. Entries from here up to the snapshot index stay on disk until
   * `compact()` removes them.
   */
  readonly firstStored: number;
  /** The log records stored. */
  readonly records: LogRecords;
}

/** Log records read from LevelDB per call while loading. */
const READ_AHEAD = 100;

/**
 * Reads the hard state, the snapshot record and the log, verifying every checksum and that the log
 * is gapless from its first index and agrees with the snapshot. Every write keeps these invariants
 * in one atomic batch, so any violation is damage, never an interrupted write. `formatStored` says
 * whether the format record exists (its version was checked on open): the first write that stores
 * anything writes it, so without it the database must hold no other record.
 *
 * The log is read record by record in key order; a record starting at index i supersedes the
 * entries ≥ i of the records before it (a conflicting suffix replaced).
 *
 * @throws StorageCorruptionError naming the record that is damaged or inconsistent.
 */
export async function recover(db: Db, dir: string, inUse: boolean, formatStored: boolean): Promise<Recovered> {
  try {
    return await recoverChecked(db, dir, inUse, formatStored);
  } catch (e) {
    throw readError(dir, 'the log', e);
  }
}

async function recoverChecked(db: Db, dir: string, inUse: boolean, formatStored: boolean): Promise<Recovered> {
  const read = async <T>(key: MetaKey, decode: (value: Buffer) => T): Promise<T | undefined> => {
    const value = await db.get(metaKey(key));
    return value === undefined ? undefined : checked(dir, `${key} record`, () => decode(value));
  };
  const storedHardState = await read('hardState', decodeHardState);
  const snapshot = await read('snapshot', decodeSnapshot);
  const firstStored = (await read('firstIndex', decodeIndex)) ?? 1;
  const storedLastIndex = await read('lastIndex', decodeIndex);
  // Every write that stores anything stores one of these three records, and every later write
  // keeps them. A LevelDB log cut short, or files deleted, can lose all of them at once.
  if (inUse && storedHardState === undefined && snapshot === undefined && storedLastIndex === undefined) {
    throw new StorageCorruptionError(
      dir,
      'LevelDB files',
      'the database is empty, but this directory held acknowledged writes (its RAFT-STORAGE-LEVEL file says so): its files were cut short or removed',
    );
  }
  if (!formatStored && (storedHardState !== undefined || snapshot !== undefined || storedLastIndex !== undefined)) {
    throw new StorageCorruptionError(dir, 'format record', 'missing, but the database holds records (the first write that stores anything writes it)');
  }
  const hardState = storedHardState ?? NEW_HARD_STATE;
  const lastStored = storedLastIndex ?? 0;
  const base = snapshot?.meta.index ?? 0;
  if (firstStored > base + 1) {
    throw new StorageCorruptionError(dir, 'firstIndex record', `the log starts at ${firstStored} but the snapshot covers only up to ${base}: entries are missing`);
  }
  /** The log from `firstStored` on, as the records read so far leave it. */
  const log: Entry[] = [];
  const records = new LogRecords();
  const iterator = db.iterator({ gte: RECORDS_START, lt: RECORDS_END });
  try {
    for (;;) {
      const batch = await iterator.nextv(READ_AHEAD);
      if (batch.length === 0) break;
      for (const [key, value] of batch) {
        const first = recordStart(key);
        const next = firstStored + log.length;
        if (first === undefined) throw new StorageCorruptionError(dir, `entry ${next}`, `a key of ${key.length} bytes (${key.toString('hex')}) lies among the log records`);
        if (first > next) throw new StorageCorruptionError(dir, `entry ${next}`, `missing (the next log record starts at ${first})`);
        const entries = checked(dir, `log record at ${first}`, () => decodeRecord(first, value));
        const last = first + entries.length - 1;
        if (last < firstStored) {
          throw new StorageCorruptionError(dir, `log record at ${first}`, `its entries ${first}–${last} all lie before the first index ${firstStored}: compaction removes such records`);
        }
        records.recovered(first, last);
        log.length = Math.max(0, first - firstStored);
        for (const entry of entries) if (entry.index >= firstStored) log.push(entry);
      }
    }
  } finally {
    await iterator.close();
  }
  const end = firstStored + log.length - 1;
  // Damage can hide the end of the log without breaking its order.
  if (end < lastStored) {
    throw new StorageCorruptionError(dir, `entry ${end + 1}`, `missing: the log ends at ${end} but its last saved index is ${lastStored}`);
  }
  if (end > lastStored) {
    throw new StorageCorruptionError(dir, `entry ${lastStored + 1}`, `stored past the last saved index ${lastStored}`);
  }
  // Entries the snapshot covers may still be stored (until compact()); the last must agree with it.
  if (snapshot && firstStored <= base) {
    const atBase = log[base - firstStored];
    if (atBase === undefined) {
      throw new StorageCorruptionError(dir, `entry ${end + 1}`, `missing: the log ends at ${end}, before the snapshot at ${base}`);
    }
    if (atBase.term !== snapshot.meta.term) {
      throw new StorageCorruptionError(dir, `entry ${base}`, `its term ${atBase.term} differs from the snapshot's term ${snapshot.meta.term} at that index`);
    }
  }
  const entries = firstStored <= base ? log.slice(base - firstStored + 1) : log;
  return { hardState, snapshot, log: new StoredLog(base, snapshot?.meta.term ?? 0, entries), firstStored, records };
}
