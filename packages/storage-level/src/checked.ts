import { StorageCorruptionError } from './errors.js';
import { BadRecord } from './records.js';

/** Decodes a record, turning a failed check into a {@link StorageCorruptionError} naming it. */
export function checked<T>(dir: string, record: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof BadRecord) throw new StorageCorruptionError(dir, record, e.message);
    throw e;
  }
}
