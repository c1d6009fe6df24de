import type { Entry } from '@raft/core';
import { StorageCorruptionError, checkLog, checked, firstStoredIndex, readMeta, type Recovered } from '@raft/storage-kit';
import { LogRecords } from './batch.js';
import { readError, type Db } from './db.js';
import { RECORDS_END, RECORDS_START, metaKey, recordStart } from './keys.js';
import { decodeRecord } from './records.js';

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
 * entries ≥ i of the records before it (a conflicting suffix replaced). The records read are
 * returned too.
 *
 * @throws StorageCorruptionError naming the record that is damaged or inconsistent.
 */
export async function recover(db: Db, dir: string, inUse: boolean, formatStored: boolean): Promise<Recovered & { readonly records: LogRecords }> {
  try {
    return await recoverChecked(db, dir, inUse, formatStored);
  } catch (e) {
    throw readError(dir, 'the log', e);
  }
}

async function recoverChecked(db: Db, dir: string, inUse: boolean, formatStored: boolean): Promise<Recovered & { readonly records: LogRecords }> {
  const meta = await readMeta(dir, (key) => db.get(metaKey(key)));
  // Every write that stores anything stores one of these three records, and every later write
  // keeps them. A LevelDB log cut short, or files deleted, can lose all of them at once.
  const holdsRecords = meta.hardState !== undefined || meta.snapshot !== undefined || meta.lastIndex !== undefined;
  if (inUse && !holdsRecords) {
    throw new StorageCorruptionError(
      dir,
      'LevelDB files',
      'the database is empty, but this directory held acknowledged writes (its RAFT-STORAGE-LEVEL file says so): its files were cut short or removed',
    );
  }
  if (!formatStored && holdsRecords) {
    throw new StorageCorruptionError(dir, 'format record', 'missing, but the database holds records (the first write that stores anything writes it)');
  }
  const firstStored = firstStoredIndex(dir, meta);
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
  return { ...checkLog(dir, meta, firstStored, log), records };
}
