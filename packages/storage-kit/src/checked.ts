import { StorageCorruptionError } from './errors.js';
import { BadRecord } from './sealed.js';

/**
 * Decodes a record of the data directory `dir`, turning a failed check ({@link BadRecord}) into a
 * {@link StorageCorruptionError} naming the record; other errors pass through.
 *
 * @example
 * ```ts
 * const hardState = checked(dir, 'hardState record', () => decodeHardState(value));
 * ```
 */
export function checked<T>(dir: string, record: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    if (e instanceof BadRecord) throw new StorageCorruptionError(dir, record, e.message);
    throw e;
  }
}
