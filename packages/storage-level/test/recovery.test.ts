import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, inChunks, testEntries, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { encodeIndex, encodeU32 } from '@raft/storage-kit';
import type { Db } from '../src/db.js';
import { LevelStorage, StorageCorruptionError, StorageFailedError, StorageFormatError } from '../src/index.js';
import { CHUNKS_END, CHUNKS_START, RECORDS_END, RECORDS_START, chunkId, chunkKey, metaKey, recordKey, recordStart, type MetaKey } from '../src/keys.js';
import { openLoaded, tamper, tempDir } from './helpers.js';

const CHUNK = 1000;

/**
 * Entries 1..20 in term 1, saved in four batches of five (log records at 1, 6, 11 and 16), with a
 * hard state, and a 5000-byte snapshot at 8 (five chunks).
 */
async function written(): Promise<string> {
  const dir = await tempDir();
  const { storage } = await openLoaded(dir, { snapshotChunkBytes: CHUNK });
  for (let first = 1; first <= 16; first += 5) await storage.save({ entries: testEntries(first, first + 4, 1) });
  await storage.save({ hardState: { term: 1, vote: 1, commit: 12 } });
  await storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 5 * CHUNK), 700));
  await storage.close();
  return dir;
}

/** Flips one bit of the value stored under `key`. */
async function flipBit(db: Db, key: Buffer, at: number): Promise<void> {
  const value = Buffer.from((await db.get(key))!);
  value[at] = value[at]! ^ 0x10;
  await db.put(key, value, { sync: true });
}

const meta = (name: MetaKey): Buffer => metaKey(name);

/** The first index of every log record. */
async function recordStarts(db: Db): Promise<number[]> {
  const starts: number[] = [];
  for await (const key of db.keys({ gte: RECORDS_START, lt: RECORDS_END })) starts.push(recordStart(key)!);
  return starts;
}

/** Keys of every snapshot chunk, as [generation, sequence]. */
async function chunkIds(db: Db): Promise<[number, number][]> {
  const ids: [number, number][] = [];
  for await (const key of db.keys({ gte: CHUNKS_START, lt: CHUNKS_END })) ids.push(chunkId(key)!);
  return ids;
}

/** Opening or loading `dir` must fail with a corruption error naming `record`. */
async function expectCorrupt(dir: string, record: string, problem: RegExp): Promise<void> {
  let storage: LevelStorage | undefined;
  const error = await LevelStorage.open(dir)
    .then((s) => {
      storage = s;
      return s.load();
    })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  await storage?.close();
  expect(error).toBeInstanceOf(StorageCorruptionError);
  expect((error as StorageCorruptionError).record).toBe(record);
  expect((error as Error).message).toMatch(problem);
  expect((error as Error).message).toMatch(/Restore the directory from a backup/);
}

/** The LevelDB log file(s) of `dir`. */
async function logFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.log')).map((name) => join(dir, name));
}

describe('damage LevelDB does not report is detected by the record checksums', () => {
  it('a flipped bit in a log record', async () => {
    const dir = await written();
    await tamper(dir, (db) => flipBit(db, recordKey(11), 40));
    await expectCorrupt(dir, 'log record at 11', /checksum mismatch/);
  });

  it('an intact log record stored under another index', async () => {
    const dir = await written();
    await tamper(dir, async (db) => db.put(recordKey(11), (await db.get(recordKey(16)))!));
    await expectCorrupt(dir, 'log record at 11', /checksum mismatch/);
  });

  it('a flipped bit in the hard state', async () => {
    const dir = await written();
    await tamper(dir, (db) => flipBit(db, meta('hardState'), 10));
    await expectCorrupt(dir, 'hardState record', /checksum mismatch/);
  });

  it('a flipped bit in the snapshot record', async () => {
    const dir = await written();
    await tamper(dir, (db) => flipBit(db, meta('snapshot'), 30));
    await expectCorrupt(dir, 'snapshot record', /checksum mismatch/);
  });

  it('a missing log record in the middle of the log', async () => {
    const dir = await written();
    await tamper(dir, (db) => db.del(recordKey(11)));
    await expectCorrupt(dir, 'entry 11', /missing \(the next log record starts at 16\)/);
  });

  it('a log record missing at the end of the log', async () => {
    const dir = await written();
    await tamper(dir, (db) => db.del(recordKey(16)));
    await expectCorrupt(dir, 'entry 16', /missing: the log ends at 15 but its last saved index is 20/);
  });

  it('a log that ends before the snapshot it should reach', async () => {
    const dir = await written();
    await tamper(dir, async (db) => {
      for (const first of [6, 11, 16]) await db.del(recordKey(first));
      await db.put(meta('lastIndex'), encodeIndex(5));
    });
    await expectCorrupt(dir, 'entry 6', /the log ends at 5, before the snapshot at 8/);
  });

  it('a log record wholly before the first index, which compaction would have removed', async () => {
    const dir = await written();
    await tamper(dir, (db) => db.put(meta('firstIndex'), encodeIndex(7)));
    await expectCorrupt(dir, 'log record at 1', /its entries 1–5 all lie before the first index 7/);
  });

  it('a flipped bit in the format record', async () => {
    const dir = await written();
    await tamper(dir, (db) => flipBit(db, meta('format'), 6));
    await expectCorrupt(dir, 'format record', /checksum mismatch/);
  });

  it('a missing format record in a database holding records', async () => {
    const dir = await written();
    await tamper(dir, (db) => db.del(meta('format')));
    await expectCorrupt(dir, 'format record', /missing, but the database holds records/);
  });

  it('a flipped bit in a snapshot chunk fails the read, naming the chunk', async () => {
    const dir = await written();
    await tamper(dir, async (db) => {
      const [[generation]] = (await chunkIds(db)) as [[number, number]];
      await flipBit(db, chunkKey(generation, 3), 500);
    });
    const { storage } = await openLoaded(dir);
    const snapshot = (await storage.readSnapshot())!;
    await expect(collect(snapshot.read())).rejects.toThrow(/snapshot 8 chunk 3: checksum mismatch/);
  });
});

describe("LevelDB's write-ahead log, checked before LevelDB replays it", () => {
  /** A directory whose data is still only in LevelDB's log: 30 batches of entries 1..90. */
  async function inLog(): Promise<{ dir: string; log: string }> {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    for (let b = 0; b < 30; b++) await storage.save({ entries: testEntries(3 * b + 1, 3 * b + 3, 1), hardState: { term: 1, vote: 1, commit: 3 * b } });
    await storage.close();
    const [log] = await logFiles(dir);
    return { dir, log: log! };
  }

  it('a flipped byte mid-log, which LevelDB would drop with the rest of its block', async () => {
    const { dir, log } = await inLog();
    const bytes = await readFile(log);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(log, bytes);
    await expectCorrupt(dir, log, /checksum mismatch, but an intact record follows at byte \d+/);
  });

  it('a damaged record length mid-log', async () => {
    const { dir, log } = await inLog();
    const bytes = await readFile(log);
    bytes[5]! ^= 0x40; // high byte of the first record's length
    await writeFile(log, bytes);
    await expectCorrupt(dir, log, /byte 0: .*but an intact record follows/);
  });

  it('a torn last record (a crash mid-write) loses only that write', async () => {
    const { dir, log } = await inLog();
    await truncate(log, (await stat(log)).size - 20);
    const { state } = await openLoaded(dir);
    expect(state.entries.map((e) => e.index)).toEqual(testEntries(1, 87, 1).map((e) => e.index));
    expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 84 });
  });

  it('a log cut inside its first record is not taken for a new directory', async () => {
    const { dir, log } = await inLog();
    await truncate(log, 10);
    await expectCorrupt(dir, 'LevelDB files', /the database is empty, but this directory held acknowledged writes/);
  });
});

describe('the on-disk format', () => {
  /** Opening `dir` must fail with a format error naming `found`. */
  async function expectFormat(dir: string, found: number): Promise<void> {
    const error = await LevelStorage.open(dir).then(
      async (s) => s.close(),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageFormatError);
    expect((error as StorageFormatError).found).toBe(found);
    expect((error as Error).message).toMatch(new RegExp(`holds LevelStorage on-disk format ${found}, but this version of @raft/storage-level reads only format 2`));
  }

  it('an unknown format version is refused on open, and the directory left as it was', async () => {
    const dir = await written();
    await tamper(dir, (db) => db.put(meta('format'), encodeU32(3)));
    await expectFormat(dir, 3);
    await tamper(dir, (db) => db.put(meta('format'), encodeU32(2)));
    const { state } = await openLoaded(dir);
    expect(state.entries.map((e) => e.index)).toEqual(testEntries(9, 20, 1).map((e) => e.index));
  });

  it('format 1 (one value per entry under `e` keys, no format record) is refused on open', async () => {
    const dir = await tempDir();
    await tamper(dir, async (db) => {
      const key = Buffer.alloc(9);
      key[0] = 0x65;
      key[8] = 1;
      await db.put(key, Buffer.alloc(13));
      await db.put(meta('lastIndex'), encodeIndex(1));
    }, true);
    await expectFormat(dir, 1);
  });
});

describe('log records', () => {
  it('one record per group commit: concurrent saves share one', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await Promise.all(Array.from({ length: 10 }, (_, i) => storage.save({ entries: testEntries(i + 1, i + 1, 1), hardState: { term: 1, vote: 1, commit: i } })));
    await storage.close();
    let starts: number[] = [];
    await tamper(dir, async (db) => {
      starts = await recordStarts(db);
    });
    // The first save goes alone; the nine that arrived while it was written share the next batch.
    expect(starts).toEqual([1, 2]);
    const { state } = await openLoaded(dir);
    expect(state.entries.map((e) => e.index)).toEqual(testEntries(1, 10, 1).map((e) => e.index));
    expect(state.hardState).toEqual({ term: 1, vote: 1, commit: 9 });
  });

  it('a later record supersedes the entries from its first index on, in one batch or across batches', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await storage.save({ entries: testEntries(1, 10, 1) });
    await storage.save({ entries: testEntries(11, 20, 1) });
    // A shorter conflicting suffix: 13..20 go, and 5..6 replace 5..10.
    await storage.save({ entries: testEntries(5, 6, 2) });
    // In one group commit: 7..12 appended, then 9..10 replace 9..12, then 11 appended: one record.
    // The hard state goes alone; the three saves queued behind it share the next batch.
    await Promise.all([
      storage.save({ hardState: { term: 3, vote: 1, commit: 4 } }),
      storage.save({ entries: testEntries(7, 12, 2) }),
      storage.save({ entries: testEntries(9, 10, 3) }),
      storage.save({ entries: testEntries(11, 11, 3) }),
    ]);
    const expected = [...testEntries(1, 4, 1), ...testEntries(5, 8, 2), ...testEntries(9, 11, 3)];
    expect(await storage.entries(1, 12)).toEqual(expected);
    await storage.close();
    await tamper(dir, async (db) => expect(await recordStarts(db)).toEqual([1, 5, 7]));
    const { state } = await openLoaded(dir);
    expect(state.entries).toEqual(expected);
  });

  it('compaction removes the records wholly below the index and keeps one that straddles it', async () => {
    const dir = await written();
    const { storage } = await openLoaded(dir, { snapshotChunkBytes: CHUNK });
    await storage.compact(7);
    await storage.close();
    await tamper(dir, async (db) => expect(await recordStarts(db)).toEqual([6, 11, 16]));
    const { storage: again, state } = await openLoaded(dir, { snapshotChunkBytes: CHUNK });
    expect(state.entries.map((e) => e.index)).toEqual(testEntries(9, 20, 1).map((e) => e.index));
    expect(await again.firstIndex()).toBe(9);
    await again.compact(8);
    await again.close();
    await tamper(dir, async (db) => expect(await recordStarts(db)).toEqual([6, 11, 16]));
    const { state: third } = await openLoaded(dir);
    expect(third.entries.map((e) => e.index)).toEqual(testEntries(9, 20, 1).map((e) => e.index));
  });

  it('installing a snapshot removes every record', async () => {
    const dir = await written();
    const { storage } = await openLoaded(dir, { snapshotChunkBytes: CHUNK });
    await storage.installSnapshot(testSnapshotMeta(30, 2), inChunks(testSnapshotData(30, 2, 1500), 700));
    await storage.save({ entries: testEntries(31, 32, 2) });
    await storage.close();
    await tamper(dir, async (db) => expect(await recordStarts(db)).toEqual([31]));
    const { state } = await openLoaded(dir);
    expect(state.entries).toEqual(testEntries(31, 32, 2));
    expect(state.snapshot).toEqual(testSnapshotMeta(30, 2));
  });
});

describe('LevelDB files damaged', () => {
  it('a missing CURRENT is not taken for a new directory', async () => {
    const dir = await written();
    await rm(join(dir, 'CURRENT'));
    await expectCorrupt(dir, join(dir, 'CURRENT'), /missing or empty .* but this directory was in use/);
  });

  it('a directory opened but never written to may lose CURRENT: nothing was stored', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await storage.close();
    await rm(join(dir, 'CURRENT'));
    const { state } = await openLoaded(dir);
    expect(state.entries).toEqual([]);
  });

  it('a manifest of garbage', async () => {
    const dir = await written();
    const manifest = (await readdir(dir)).find((name) => name.startsWith('MANIFEST-'))!;
    await writeFile(join(dir, manifest), Buffer.alloc(200, 7));
    await expectCorrupt(dir, 'LevelDB files', /Corruption/);
  });

  it('a table file cut short', async () => {
    const dir = await written();
    // Reopening replays the log into a table file (.ldb).
    const { storage } = await openLoaded(dir);
    await storage.close();
    const table = (await readdir(dir)).find((name) => name.endsWith('.ldb'))!;
    expect(table).toBeDefined();
    await truncate(join(dir, table), 100);
    // Opening reads the format record first, from the damaged table.
    await expectCorrupt(dir, 'LevelDB files (reading the format record)', new RegExp(`${table}: Invalid argument`));
  });
});

describe('recovery', () => {
  it('removes the chunks of a snapshot that was being written when the process died', async () => {
    const dir = await written();
    let before: [number, number][] = [];
    await tamper(dir, async (db) => {
      before = await chunkIds(db);
      await db.put(chunkKey(before[0]![0] + 1, 0), Buffer.alloc(10));
      await db.put(chunkKey(0, 0), Buffer.alloc(10));
    });
    const { storage } = await openLoaded(dir);
    await storage.close();
    await tamper(dir, async (db) => expect(await chunkIds(db)).toEqual(before));
  });
});

describe('failures', () => {
  it('a directory LevelDB cannot open is reported with the cause and what to do', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'LOCK'));
    const error = await LevelStorage.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageFailedError);
    expect((error as Error).message).toMatch(new RegExp(`opening the LevelDB database in ${dir} failed \\(.+\\); fix the disk`));
  });
});
