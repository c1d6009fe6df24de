import { appendFile, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { testEntries, testSnapshotData, testSnapshotMeta, inChunks } from '@raft/conformance/storage-suite';
import { FRAME_HEADER_BYTES } from '../src/frame.js';
import { seededRandom } from '@raft/core';
import { FileStorage, StorageCorruptionError } from '../src/index.js';
import { decodeFrames, flipByte, frameOffsets, openLoaded, segmentPaths, tempDir, writeBatches } from './helpers.js';

/** 40 batches of 5 entries (200 entries), in several 4 KiB segments. */
const small = { segmentBytes: 4096 };
async function writtenDir(): Promise<string> {
  const dir = await tempDir();
  await writeBatches(dir, 40, 5, small);
  return dir;
}

/** Opening must fail with a corruption error naming `file` and `offset`, and the remedy. */
async function expectCorruption(dir: string, file: string, offset: number | undefined, problem: RegExp): Promise<void> {
  const storage = await FileStorage.open(dir, small);
  try {
    const error = await storage.load().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageCorruptionError);
    const c = error as StorageCorruptionError;
    expect({ file: c.file, offset: c.offset }).toEqual({ file, offset });
    expect(c.message).toMatch(problem);
    expect(c.message).toContain(offset === undefined ? file : `${file} at byte ${offset}`);
    expect(c.message).toMatch(/Restore the directory from a backup/);
  } finally {
    await storage.close();
  }
}

describe('torn tail of the last segment: cut off, everything before it kept', () => {
  it('a last frame cut short loses only that unacknowledged batch, and the cut is durable', async () => {
    const dir = await writtenDir();
    const last = (await segmentPaths(dir)).at(-1)!;
    const offsets = await frameOffsets(last);
    const lastFrame = offsets.at(-1)!;
    await truncate(last, lastFrame + FRAME_HEADER_BYTES + 3);
    const { storage, state } = await openLoaded(dir, small);
    expect(state.entries.at(-1)?.index).toBe(195);
    expect((await stat(last)).size).toBe(lastFrame);
    expect(storage.tornTail).toEqual({ path: last, offset: lastFrame, bytes: FRAME_HEADER_BYTES + 3 });
    await storage.save({ entries: testEntries(196, 197, 2) });
    await storage.close();
    const again = await openLoaded(dir, small);
    expect(again.state.entries.at(-1)).toMatchObject({ index: 197, term: 2 });
    expect(again.state.hardState.commit).toBe(190);
  });

  it('a flipped byte in the last frame is treated as a torn write', async () => {
    const dir = await writtenDir();
    const last = (await segmentPaths(dir)).at(-1)!;
    const lastFrame = (await frameOffsets(last)).at(-1)!;
    await flipByte(last, lastFrame + FRAME_HEADER_BYTES + 20);
    const { state } = await openLoaded(dir, small);
    expect(state.entries.at(-1)?.index).toBe(195);
  });

  it('zeros after the last frame (a file extended but never written) are cut off, nothing is lost', async () => {
    const dir = await writtenDir();
    const last = (await segmentPaths(dir)).at(-1)!;
    const size = (await stat(last)).size;
    await appendFile(last, Buffer.alloc(1000));
    const { state, storage } = await openLoaded(dir, small);
    expect(state.entries.at(-1)?.index).toBe(200);
    expect((await stat(last)).size).toBe(size);
    expect(storage.tornTail).toEqual({ path: last, offset: size, bytes: 1000 });
  });

  it('a last segment whose header never reached the disk is removed', async () => {
    const dir = await writtenDir();
    const paths = await segmentPaths(dir);
    const next = paths.at(-1)!.replace(/\d{20}\.wal$/, (name) => `${String(Number(name.slice(0, 20)) + 1).padStart(20, '0')}.wal`);
    await appendFile(next, Buffer.from([1, 2, 3]));
    const { state } = await openLoaded(dir, small);
    expect(state.entries.at(-1)?.index).toBe(200);
    expect(await segmentPaths(dir)).toEqual(paths);
  });
});

describe('anything else is corruption: an error naming the file and offset', () => {
  it('a flipped byte in a frame of the last segment with valid frames after it', async () => {
    const dir = await writtenDir();
    const last = (await segmentPaths(dir)).at(-1)!;
    const offsets = await frameOffsets(last);
    expect(offsets.length).toBeGreaterThan(2);
    await flipByte(last, offsets[1]! + FRAME_HEADER_BYTES + 5);
    await expectCorruption(dir, last, offsets[1], /body checksum mismatch; valid data follows/);
  });

  it('a flipped length in a frame header mid-log', async () => {
    const dir = await writtenDir();
    const last = (await segmentPaths(dir)).at(-1)!;
    const offsets = await frameOffsets(last);
    await flipByte(last, offsets[1]! + 1);
    await expectCorruption(dir, last, offsets[1], /header checksum mismatch; valid data follows/);
  });

  it('a flipped byte in an earlier segment, even in its last frame', async () => {
    const dir = await writtenDir();
    const first = (await segmentPaths(dir))[0]!;
    const lastFrame = (await frameOffsets(first)).at(-1)!;
    await flipByte(first, lastFrame + FRAME_HEADER_BYTES);
    await expectCorruption(dir, first, lastFrame, /only the last segment may end in a torn write/);
  });

  it('a flipped byte in a segment header (which holds the hard state)', async () => {
    const dir = await writtenDir();
    const second = (await segmentPaths(dir))[1]!;
    await flipByte(second, FRAME_HEADER_BYTES + 20);
    await expectCorruption(dir, second, 0, /body checksum mismatch/);
  });

  it('an earlier segment truncated mid-frame', async () => {
    const dir = await writtenDir();
    const first = (await segmentPaths(dir))[0]!;
    const lastFrame = (await frameOffsets(first)).at(-1)!;
    await truncate(first, lastFrame + FRAME_HEADER_BYTES + 7);
    await expectCorruption(dir, first, lastFrame, /runs past the end of the file .*; only the last segment may end in a torn write/);
  });

  it('an earlier segment truncated exactly at a frame boundary', async () => {
    const dir = await writtenDir();
    const [first, second] = await segmentPaths(dir);
    await truncate(first!, (await frameOffsets(first!)).at(-1)!);
    await expectCorruption(dir, second!, 0, /previous segments end at index \d+: a segment was truncated/);
  });

  it('a missing segment in the middle', async () => {
    const dir = await writtenDir();
    const paths = await segmentPaths(dir);
    expect(paths.length).toBeGreaterThan(3);
    await unlink(paths[1]!);
    await expectCorruption(dir, paths[2]!, undefined, /segment 2 is missing/);
  });

  it('missing first segments with no snapshot covering them', async () => {
    const dir = await writtenDir();
    const paths = await segmentPaths(dir);
    await unlink(paths[0]!);
    await expectCorruption(dir, paths[1]!, 0, /the log starts after index \d+ but the snapshot covers only up to 0/);
  });

  describe('the snapshot file', () => {
    async function withSnapshot(): Promise<{ dir: string; path: string }> {
      const dir = await tempDir();
      const { storage } = await openLoaded(dir);
      await storage.save({ entries: testEntries(1, 10, 1) });
      await storage.saveSnapshot(testSnapshotMeta(8, 1), inChunks(testSnapshotData(8, 1, 100_000), 4096));
      await storage.close();
      const name = `snapshot-${String(8).padStart(20, '0')}-1.snap`;
      return { dir, path: `${dir}/${name}` };
    }

    it('a flipped data byte', async () => {
      const { dir, path } = await withSnapshot();
      const metaLength = (await readFile(path)).readUInt32LE(8);
      await flipByte(path, 16 + metaLength + 50_000);
      await expectCorruption(dir, path, 16 + metaLength, /snapshot data checksum mismatch/);
    });

    it('a truncated file', async () => {
      const { dir, path } = await withSnapshot();
      const size = (await stat(path)).size;
      await truncate(path, size - 100);
      await expectCorruption(dir, path, size - 100 - 16, /trailer checksum mismatch/);
    });

    it('a flipped metadata byte', async () => {
      const { dir, path } = await withSnapshot();
      await flipByte(path, 20);
      await expectCorruption(dir, path, 16, /metadata checksum mismatch/);
    });
  });
});

describe('a last segment cut at any offset', () => {
  it('keeps exactly the entries of the frames wholly before the cut', async () => {
    const random = seededRandom(7);
    for (let c = 0; c < 30; c++) {
      const dir = await tempDir();
      await writeBatches(dir, 40, 5, small);
      const last = (await segmentPaths(dir)).at(-1)!;
      const frames = await decodeFrames(last);
      const size = frames.at(-1)!.end;
      const cut = Math.floor(random() * size);
      // The header frame names the index before the segment; every later whole frame extends the log.
      const header = frames[0]!.records[0];
      let expected = header?.kind === 'segment' ? header.header.prevIndex : -1;
      for (const frame of frames.filter((f) => f.end <= cut)) {
        for (const r of frame.records) if (r.kind === 'entry') expected = r.entry.index;
      }
      await truncate(last, cut);
      const { state, storage } = await openLoaded(dir, small);
      expect(state.entries.at(-1)?.index, `cut at byte ${cut} of ${size}`).toBe(expected);
      await storage.close();
    }
  });
});
