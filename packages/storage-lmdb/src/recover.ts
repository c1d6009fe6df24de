import type { Entry } from '@raft/core';
import { StorageCorruptionError, checkLog, checked, firstStoredIndex, readMeta, type Recovered } from '@raft/storage-kit';
import { decodeEntry } from './records.js';
import type { Tables } from './tables.js';

/**
 * Reads the hard state, the snapshot record and the log, verifying every checksum and that the log
 * is gapless from its first index and agrees with the snapshot. Every write keeps these invariants
 * in one transaction, so any violation is damage, never an interrupted write.
 *
 * @throws StorageCorruptionError naming the record that is damaged or inconsistent.
 */
export async function recover(tables: Tables, dir: string): Promise<Recovered> {
  const meta = await readMeta(dir, (key) => tables.meta.get(key));
  const firstStored = firstStoredIndex(dir, meta);
  const stored: Entry[] = [];
  for (const { key, value } of tables.entries.getRange({ start: firstStored })) {
    const expected = firstStored + stored.length;
    if (key !== expected) throw new StorageCorruptionError(dir, `entry ${expected}`, `missing (the next stored entry is ${key})`);
    stored.push(checked(dir, `entry ${key}`, () => decodeEntry(key, value)));
  }
  return checkLog(dir, meta, firstStored, stored);
}
