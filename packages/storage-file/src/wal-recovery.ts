import { open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Entry, HardState } from '@raft/core';
import { StorageCorruptionError } from './errors.js';
import { findFrameAfter, readFrame } from './frame.js';
import { syncDirectory } from '@raft/storage-kit';
import type { SegmentFile } from './layout.js';
import { decodeRecords, type WalRecord } from './records.js';

/** A segment that recovery kept, with the log position it starts after. */
export interface LiveSegment extends SegmentFile {
  readonly prevIndex: number;
}

/** Where recovery cut off a torn tail: the segment, the offset of the cut, and the bytes dropped. */
export interface TornTail {
  readonly path: string;
  readonly offset: number;
  readonly bytes: number;
}

/** The log as replayed from the segments. */
export interface RecoveredWal {
  /** Segments in order; the last one is where appends continue. */
  readonly segments: LiveSegment[];
  /** Size of the last segment after any torn tail was cut off. */
  readonly tailSize: number;
  /** Index just before `entries[0]`. */
  readonly base: number;
  readonly entries: Entry[];
  readonly hardState: HardState;
  /** The last reset (installed snapshot) replayed, if any. */
  readonly reset: { readonly index: number; readonly term: number } | undefined;
  /** A torn tail that was cut off. */
  readonly tornTail: TornTail | undefined;
}

/** Replay state carried from one segment to the next. */
class Replay {
  base = 0;
  entries: Entry[] = [];
  hardState: HardState = { term: 0, vote: 0, commit: 0 };
  reset: { index: number; term: number } | undefined;
  readonly segments: LiveSegment[] = [];

  get last(): number {
    return this.base + this.entries.length;
  }

  /** Applies one record; returns a problem description when the record cannot follow the log so far. */
  apply(record: WalRecord, segment: SegmentFile, first: boolean): string | undefined {
    if (first !== (record.kind === 'segment')) {
      return first ? 'the segment does not start with a segment header' : 'a segment header in the middle of a segment';
    }
    switch (record.kind) {
      case 'segment': {
        const { seq, prevIndex, hardState } = record.header;
        if (seq !== segment.seq) return `the segment header says sequence ${seq}, the file name ${segment.seq}`;
        if (this.segments.length === 0) {
          this.base = prevIndex;
          this.hardState = hardState;
        } else if (prevIndex !== this.last) {
          return `the segment continues the log after index ${prevIndex}, but the previous segments end at index ${this.last}: a segment was truncated or replaced`;
        }
        this.segments.push({ ...segment, prevIndex });
        return undefined;
      }
      case 'entry': {
        const e = record.entry;
        if (e.index > this.last + 1) return `entry ${e.index} follows entry ${this.last}: entries in between are missing`;
        if (e.index <= this.base) {
          // An overwrite reaching below the first retained segment: what it replaces was compacted.
          this.base = e.index - 1;
          this.entries = [];
        } else {
          this.entries.length = e.index - this.base - 1;
        }
        this.entries.push(e);
        return undefined;
      }
      case 'hardState':
        this.hardState = record.hardState;
        return undefined;
      case 'reset':
        this.base = record.index;
        this.entries = [];
        this.reset = { index: record.index, term: record.term };
        return undefined;
    }
  }
}

/**
 * Replays the write-ahead log segments in order. A torn tail (an invalid frame in the last segment
 * with no valid frame after it) is cut off and the cut made durable; a last segment whose header
 * never made it to disk (a crash while rolling over) is removed. Anything else that does not read
 * back is corruption.
 *
 * @returns `undefined` when there is no segment at all.
 * @throws StorageCorruptionError naming the file and offset.
 */
export async function recoverWal(segmentFiles: readonly SegmentFile[]): Promise<RecoveredWal | undefined> {
  const replay = new Replay();
  /** Size of the last segment kept so far: appends continue there. */
  let tailSize = 0;
  let tornTail: RecoveredWal['tornTail'];
  for (const [i, segment] of segmentFiles.entries()) {
    const isLast = i === segmentFiles.length - 1;
    const previous = segmentFiles[i - 1];
    if (previous && segment.seq !== previous.seq + 1) {
      throw new StorageCorruptionError(segment.path, undefined, `segment ${previous.seq + 1} is missing: segment ${previous.seq} is followed by ${segment.seq}`);
    }
    const buf = await readFile(segment.path);
    const segmentsBefore = replay.segments.length;
    let offset = 0;
    while (offset < buf.length) {
      const frame = readFrame(buf, offset);
      if (!frame.ok) {
        if (isLast && findFrameAfter(buf, offset) < 0) break;
        const why = isLast ? 'valid data follows it, so it is not a torn write' : 'only the last segment may end in a torn write';
        throw new StorageCorruptionError(segment.path, offset, `${frame.problem}; ${why}`);
      }
      let records: WalRecord[];
      try {
        records = decodeRecords(frame.body);
      } catch (e) {
        throw new StorageCorruptionError(segment.path, offset, `a checksummed frame does not decode: ${(e as Error).message}`);
      }
      for (const [r, record] of records.entries()) {
        const problem = replay.apply(record, segment, offset === 0 && r === 0);
        if (problem) throw new StorageCorruptionError(segment.path, offset, problem);
      }
      offset = frame.next;
    }
    const hasHeader = replay.segments.length > segmentsBefore;
    if (!hasHeader) {
      if (!isLast) throw new StorageCorruptionError(segment.path, 0, 'the segment has no valid header');
      // Created during a rollover that crashed before its header was durable: nothing was acknowledged in it.
      await unlink(segment.path);
      await syncDirectory(dirname(segment.path));
    } else {
      if (offset < buf.length) {
        await truncateDurably(segment.path, offset);
        tornTail = { path: segment.path, offset, bytes: buf.length - offset };
      }
      tailSize = offset;
    }
  }
  if (replay.segments.length === 0) return undefined;
  const { base, entries, hardState, reset, segments } = replay;
  return { segments, tailSize, base, entries, hardState, reset, tornTail };
}

async function truncateDurably(path: string, size: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(size);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
