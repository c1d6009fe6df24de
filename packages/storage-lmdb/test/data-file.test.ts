import { describe, expect, it } from 'vitest';
import { StorageCorruptionError } from '@raft/storage-kit';
import { PAGE_BYTES, checkDataFile, type DataFileProbes } from '../src/data-file.js';

/** What another process's open has left in the directory, as seen by one look. */
interface Seen {
  readonly marked: boolean;
  readonly size: number | undefined;
}

/**
 * A directory that another process is creating: each look at it (marker or size) sees the next
 * state in `states`, so the other process moves on between any two looks.
 */
function beingCreated(states: readonly Seen[]): DataFileProbes {
  let look = 0;
  const next = (): Seen => states[Math.min(look++, states.length - 1)]!;
  return {
    isMarkedInUse: async () => next().marked,
    fileSize: async () => next().size,
  };
}

const EMPTY: Seen = { marked: false, size: 0 };
const CREATED: Seen = { marked: true, size: 2 * PAGE_BYTES };

describe('checkDataFile', () => {
  it('does not call a directory that another process finishes creating between two looks damaged', async () => {
    // The regression CI once caught: the size looked at first (still empty), then the marker (just
    // written). Whichever order the looks come in, the other process finishing in between is not damage.
    await expect(checkDataFile('/dir', beingCreated([EMPTY, CREATED]))).resolves.toBeUndefined();
    await expect(checkDataFile('/dir', beingCreated([{ marked: false, size: undefined }, CREATED]))).resolves.toBeUndefined();
  });

  it('accepts a fresh directory and one holding both meta pages', async () => {
    await expect(checkDataFile('/dir', beingCreated([{ marked: false, size: undefined }]))).resolves.toBeUndefined();
    await expect(checkDataFile('/dir', beingCreated([CREATED]))).resolves.toBeUndefined();
  });

  it('refuses a directory that was in use but whose data.mdb is gone, empty or cut short', async () => {
    for (const size of [undefined, 0, PAGE_BYTES]) {
      await expect(checkDataFile('/dir', beingCreated([{ marked: true, size }]))).rejects.toBeInstanceOf(StorageCorruptionError);
    }
  });

  it('refuses a data.mdb cut short by a first open, with what to do about it', async () => {
    await expect(checkDataFile('/dir', beingCreated([{ marked: false, size: 100 }]))).rejects.toThrow(
      /only 100 bytes, shorter than LMDB's two meta pages: the first open of this directory was cut short.*Delete data\.mdb/,
    );
  });
});
