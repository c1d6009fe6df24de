import { describe, expect, it } from 'vitest';
import { inChunks, testEntries, testSnapshotData, testSnapshotMeta } from '@raft/conformance/storage-suite';
import { decodeFrames, frameOffsets, openLoaded, segmentPaths, tempDir, writeBatches } from './helpers.js';

const small = { segmentBytes: 4096 };

describe('segments', () => {
  it('roll over once a segment reaches segmentBytes, and replay across all of them', async () => {
    const dir = await tempDir();
    await writeBatches(dir, 60, 5, small);
    const paths = await segmentPaths(dir);
    expect(paths.length).toBeGreaterThan(5);
    const { storage, state } = await openLoaded(dir, small);
    expect(state.entries.map((e) => e.index)).toEqual(testEntries(1, 300, 1).map((e) => e.index));
    expect(await storage.segmentCount()).toBe(paths.length);
  });

  it('compaction deletes exactly the segments wholly covered by the snapshot', async () => {
    const dir = await tempDir();
    await writeBatches(dir, 60, 5, small);
    const before = await segmentPaths(dir);
    const { storage } = await openLoaded(dir, small);
    await storage.saveSnapshot(testSnapshotMeta(150, 1), inChunks(testSnapshotData(150, 1, 1000), 100));
    await storage.compact(150);
    const after = await segmentPaths(dir);
    expect(after.length).toBeLessThan(before.length);
    expect(after).toEqual(before.slice(before.length - after.length));
    // The first kept segment is needed: the one after it starts past the snapshot, so the first
    // holds entries the snapshot does not cover.
    const [header] = (await decodeFrames(after[1]!))[0]!.records;
    expect(header?.kind === 'segment' && header.header.prevIndex).toBeGreaterThan(150);
    await storage.close();

    // The first kept segment must still hold entry 151 (else compaction deleted too much), and the
    // log reads back whole from the snapshot on.
    const again = await openLoaded(dir, small);
    expect(again.state.entries[0]?.index).toBe(151);
    expect(again.state.entries.at(-1)?.index).toBe(300);
    expect(again.state.hardState.commit).toBe(295);
  });

  it('installSnapshot leaves only the segment that records the reset', async () => {
    const dir = await tempDir();
    await writeBatches(dir, 60, 5, small);
    const { storage } = await openLoaded(dir, small);
    await storage.installSnapshot(testSnapshotMeta(1000, 3), inChunks(testSnapshotData(1000, 3, 10), 10));
    expect(await segmentPaths(dir)).toHaveLength(1);
    await storage.save({ entries: testEntries(1001, 1002, 3) });
    await storage.close();
    const again = await openLoaded(dir, small);
    expect(again.state.entries.map((e) => e.index)).toEqual([1001, 1002]);
  });
});

describe('group commit', () => {
  it('writes saves issued together as one frame, in call order', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    await Promise.all(Array.from({ length: 64 }, (_, i) => storage.save({ entries: testEntries(i + 1, i + 1, 1) })));
    // The batch is taken once the calling code yields, so all 64 share one frame (after the
    // segment header frame) and one fdatasync.
    const [segment] = await segmentPaths(dir);
    expect(await frameOffsets(segment!)).toHaveLength(2);
    await storage.close();
    const again = await openLoaded(dir);
    expect(again.state.entries.map((e) => e.index)).toEqual(testEntries(1, 64, 1).map((e) => e.index));
  });

  it('coalesces saves that arrive while a sync runs into the next one', async () => {
    const dir = await tempDir();
    const { storage } = await openLoaded(dir);
    const first = storage.save({ entries: testEntries(1, 1, 1) });
    // After one event-loop turn the first batch has been taken and its write (or, if the write's
    // completion was already processed, its fdatasync) is in flight: the next 10 arrive during it.
    await new Promise(setImmediate);
    const rest = Array.from({ length: 10 }, (_, i) => storage.save({ entries: testEntries(i + 2, i + 2, 1) }));
    await Promise.all([first, ...rest]);
    const [segment] = await segmentPaths(dir);
    expect(await frameOffsets(segment!)).toHaveLength(3);
  });
});
