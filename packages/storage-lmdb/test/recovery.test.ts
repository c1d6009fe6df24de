import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, inChunks, testEntries, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { encodeIndex } from '@raft/storage-kit';
import { LmdbStorage, StorageCorruptionError, StorageFailedError } from '../src/index.js';
import type { Tables } from '../src/tables.js';
import { openLoaded, tamper, tempDir } from './helpers.js';

const CHUNK = 1000;

/** Entries 1..20 in term 1 with a hard state, and a 5000-byte snapshot at 8 (five chunks). */
async function written(): Promise<string> {
  const dir = await tempDir();
  const { storage } = await openLoaded(dir, { snapshotChunkBytes: CHUNK });
  await storage.save({ entries: testEntries(1, 20, 1), hardState: { term: 1, vote: 1, commit: 12 } });
  await storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 5 * CHUNK), 700));
  await storage.close();
  return dir;
}

/** Flips one bit of the value stored under `key`. */
function flipBit<K extends number | string | [number, number]>(db: { get(key: K): Buffer | undefined; putSync(key: K, value: Buffer): void }, key: K, at: number): void {
  const value = Buffer.from(db.get(key)!);
  value[at] = value[at]! ^ 0x10;
  db.putSync(key, value);
}

/** Loading `dir` must fail with a corruption error naming `record`. */
async function expectCorrupt(dir: string, record: string, problem: RegExp): Promise<void> {
  const storage = await LmdbStorage.open(dir);
  try {
    const error = await storage.load().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageCorruptionError);
    expect((error as StorageCorruptionError).record).toBe(record);
    expect((error as Error).message).toMatch(problem);
    expect((error as Error).message).toMatch(/Restore the directory from a backup/);
  } finally {
    await storage.close();
  }
}

describe('damage LMDB cannot see is detected by the record checksums', () => {
  it('a flipped bit in an entry', async () => {
    const dir = await written();
    await tamper(dir, (t) => flipBit(t.entries, 15, 12));
    await expectCorrupt(dir, 'entry 15', /checksum mismatch/);
  });

  it('an intact entry value stored under another index', async () => {
    const dir = await written();
    await tamper(dir, (t) => t.entries.putSync(15, t.entries.get(16)!));
    await expectCorrupt(dir, 'entry 15', /checksum mismatch/);
  });

  it('a flipped bit in the hard state', async () => {
    const dir = await written();
    await tamper(dir, (t) => flipBit(t.meta, 'hardState', 10));
    await expectCorrupt(dir, 'hardState record', /checksum mismatch/);
  });

  it('a flipped bit in the snapshot record', async () => {
    const dir = await written();
    await tamper(dir, (t) => flipBit(t.meta, 'snapshot', 30));
    await expectCorrupt(dir, 'snapshot record', /checksum mismatch/);
  });

  it('a missing entry in the middle of the log', async () => {
    const dir = await written();
    await tamper(dir, (t) => t.entries.removeSync(11));
    await expectCorrupt(dir, 'entry 11', /missing \(the next stored entry is 12\)/);
  });

  it('entries missing at the end of the log', async () => {
    const dir = await written();
    await tamper(dir, (t) => {
      for (let i = 18; i <= 20; i++) t.entries.removeSync(i);
    });
    await expectCorrupt(dir, 'entry 18', /missing: the log ends at 17 but its last saved index is 20/);
  });

  it('a log that ends before the snapshot it should reach', async () => {
    const dir = await written();
    await tamper(dir, (t) => {
      for (let i = 7; i <= 20; i++) t.entries.removeSync(i);
      t.meta.putSync('lastIndex', encodeIndex(6));
    });
    await expectCorrupt(dir, 'entry 7', /the log ends at 6, before the snapshot at 8/);
  });

  it('a flipped bit in a snapshot chunk fails the read, naming the chunk', async () => {
    const dir = await written();
    let generation = 0;
    await tamper(dir, (t) => {
      generation = [...t.chunks.getKeys()][0]![0];
      flipBit(t.chunks, [generation, 3], 500);
    });
    const { storage } = await openLoaded(dir);
    const snapshot = (await storage.readSnapshot())!;
    await expect(collect(snapshot.read())).rejects.toThrow(/snapshot 8 chunk 3: checksum mismatch/);
  });
});

describe('a data file LMDB would misread', () => {
  /** Opening `dir` must fail with a corruption error about data.mdb. */
  async function expectDataFileCorrupt(dir: string, problem: RegExp): Promise<void> {
    const error = await LmdbStorage.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageCorruptionError);
    expect((error as StorageCorruptionError).record).toBe(join(dir, 'data.mdb'));
    expect((error as Error).message).toMatch(problem);
  }

  it('a missing data.mdb is not taken for a new directory', async () => {
    const dir = await written();
    await rm(join(dir, 'data.mdb'));
    await expectDataFileCorrupt(dir, /missing or empty, but this directory was in use/);
  });

  it('an empty data.mdb is not taken for a new directory', async () => {
    const dir = await written();
    await truncate(join(dir, 'data.mdb'), 0);
    await expectDataFileCorrupt(dir, /missing or empty, but this directory was in use/);
  });

  it('a data.mdb cut inside its meta pages', async () => {
    const dir = await written();
    await truncate(join(dir, 'data.mdb'), 5000);
    await expectDataFileCorrupt(dir, /only 5000 bytes, shorter than LMDB's two meta pages/);
  });

  it('a data.mdb cut after its meta pages, short of its last page', async () => {
    const dir = await written();
    await truncate(join(dir, 'data.mdb'), 3 * 4096);
    await expectDataFileCorrupt(dir, /the file is 12288 bytes but LMDB's last page ends at byte \d+: it was cut short/);
  });

  it('the leftover of a first open cut short: nothing was stored, the operator is told to delete it', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'data.mdb'), Buffer.alloc(100));
    await expect(LmdbStorage.open(dir)).rejects.toThrow(/the first open of this directory was cut short.*Delete data.mdb/);
  });
});

describe('recovery', () => {
  it('removes the chunks of a snapshot that was being written when the process died', async () => {
    const dir = await written();
    const chunkKeys = (t: Tables): [number, number][] => [...t.chunks.getKeys()];
    let before: [number, number][] = [];
    await tamper(dir, (t) => {
      before = chunkKeys(t);
      t.chunks.putSync([before[0]![0] + 1, 0], Buffer.alloc(10));
      t.chunks.putSync([0, 0], Buffer.alloc(10));
    });
    const { storage } = await openLoaded(dir);
    await storage.close();
    await tamper(dir, (t) => expect(chunkKeys(t)).toEqual(before));
  });
});

describe('failures', () => {
  it('a directory LMDB cannot open is reported with the cause and what to do', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'data.mdb'));
    const error = await LmdbStorage.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageFailedError);
    expect((error as Error).message).toMatch(new RegExp(`opening the LMDB environment in ${dir} failed \\(.+\\); fix the disk`));
  });
});
