import { checked, decodeU32 } from '@raft/storage-kit';
import { readError, type Db } from './db.js';
import { StorageFormatError } from './errors.js';
import { FORMAT_1_ENTRIES_END, FORMAT_1_ENTRIES_START, metaKey } from './keys.js';
import { FORMAT_VERSION } from './records.js';

/**
 * Checks the on-disk format of an opened database and says whether its format record exists. The
 * first write that stores anything writes the record, in the same batch; until then the database
 * holds nothing (but perhaps snapshot chunks a crash left behind), and any format will do.
 *
 * @throws StorageFormatError for a format other than {@link FORMAT_VERSION}, including format 1,
 *   which had no format record and stored each entry under its own key.
 * @throws StorageCorruptionError if the format record fails its checksum.
 */
export async function checkFormat(db: Db, dir: string): Promise<boolean> {
  try {
    const value = await db.get(metaKey('format'));
    if (value !== undefined) {
      const version = checked(dir, 'format record', () => decodeU32(value));
      if (version !== FORMAT_VERSION) throw new StorageFormatError(dir, version, FORMAT_VERSION);
      return true;
    }
    // Format 1's entry keys: `e` and a u64 index.
    for await (const key of db.keys({ gte: FORMAT_1_ENTRIES_START, lt: FORMAT_1_ENTRIES_END, limit: 1 })) {
      if (key.length === 9) throw new StorageFormatError(dir, 1, FORMAT_VERSION);
    }
    return false;
  } catch (e) {
    if (e instanceof StorageFormatError) throw e;
    throw readError(dir, 'the format record', e);
  }
}
