import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { HardState } from '@raft/core';
import { StorageFailedError } from './errors.js';
import { frameHeader } from './frame.js';
import { syncDirectory } from '@raft/storage-kit';
import { segmentName } from './layout.js';
import { encodeSegmentHeader } from './records.js';
import type { LiveSegment } from './wal-recovery.js';

/** Where the log stands once a write is durable: what a new segment's header records. */
export interface LogPosition {
  readonly lastIndex: number;
  readonly hardState: HardState;
}

/**
 * Segments are opened with O_DSYNC where the platform has it, so one `writev` returns only once
 * its data (and the file size needed to read it back) is durable: the same guarantee as `write`
 * followed by `fdatasync`, but one trip through libuv's thread pool instead of two, which is most
 * of what a lone write waits for beyond the disk itself. Elsewhere each write is followed by
 * `fdatasync`.
 */
const SYNC_ON_WRITE = constants.O_DSYNC as number | undefined;

/** Opens a segment for appending, `create`d exclusively or an existing one. */
function openSegment(path: string, create: boolean): Promise<FileHandle> {
  const flags = constants.O_RDWR | (create ? constants.O_CREAT | constants.O_EXCL : 0) | (SYNC_ON_WRITE ?? 0);
  return open(path, flags, 0o666);
}

/** Makes the bytes just written durable, unless the segment's O_DSYNC already did. */
async function syncWritten(handle: FileHandle): Promise<void> {
  if (SYNC_ON_WRITE === undefined) await handle.datasync();
}

interface Pending {
  readonly body: Buffer;
  readonly after: LogPosition;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Appends to the write-ahead log with group commit: while one durable write is in progress,
 * further appends queue up, and the next round writes all of them as one frame and syncs once. A
 * lone caller pays one durable write; many concurrent callers share it.
 */
export class WalWriter {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;

  private constructor(
    private readonly dir: string,
    private readonly segmentBytes: number,
    /** Live segments, oldest first; the last one is open in `handle`. */
    private readonly segments: LiveSegment[],
    private handle: FileHandle,
    private size: number,
    private durable: LogPosition,
  ) {}

  /** Continues the log at the end of the last recovered segment. */
  static async resume(dir: string, segmentBytes: number, segments: LiveSegment[], tailSize: number, at: LogPosition): Promise<WalWriter> {
    const handle = await openSegment(segments.at(-1)!.path, false);
    return new WalWriter(dir, segmentBytes, segments, handle, tailSize, at);
  }

  /** Starts the log of a new data directory with its first segment. */
  static async create(dir: string, segmentBytes: number, at: LogPosition): Promise<WalWriter> {
    const { segment, handle, size } = await createSegment(dir, 1, at);
    return new WalWriter(dir, segmentBytes, [segment], handle, size, at);
  }

  /**
   * Appends `body` (encoded records) and resolves once it is durable. `after` is the log position
   * once it is written. Bodies are written in call order.
   */
  append(body: Buffer, after: LogPosition): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ body, after, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /**
   * Deletes every segment that holds nothing after `index`: a segment goes when the next one
   * starts at or below `index`. Oldest first, so a crash midway leaves a contiguous suffix.
   */
  async removeSegmentsThrough(index: number): Promise<void> {
    let count = 0;
    while (count < this.segments.length - 1 && this.segments[count + 1]!.prevIndex <= index) count++;
    const doomed = this.segments.splice(0, count);
    for (const segment of doomed) await unlink(segment.path);
    if (doomed.length > 0) await syncDirectory(this.dir);
  }

  /** Number of live segments (for tests and metrics). */
  get segmentCount(): number {
    return this.segments.length;
  }

  /** Waits for queued appends, then closes the segment. */
  async close(): Promise<void> {
    await this.draining;
    this.failure ??= new Error('the write-ahead log is closed');
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    // Start after the current microtasks: callers woken together by the previous sync (each in
    // its own microtask) then all queue before the batch is taken, instead of the first one going
    // out alone and the rest waiting a whole extra sync.
    await Promise.resolve();
    while (this.queue.length > 0 && !this.failure) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (this.size >= this.segmentBytes) await this.rollover();
        await this.writeFrame(batch.map((p) => p.body));
        this.durable = batch.at(-1)!.after;
        for (const p of batch) p.resolve();
      } catch (e) {
        this.failure = new StorageFailedError(this.segments.at(-1)!.path, e);
        for (const p of batch) p.reject(this.failure);
      }
    }
    for (const p of this.queue.splice(0)) p.reject(this.failure!);
    this.draining = undefined;
  }

  private async writeFrame(parts: Buffer[]): Promise<void> {
    const buffers = [frameHeader(parts), ...parts];
    this.size += await writeAllAt(this.handle, buffers, this.size);
    await syncWritten(this.handle);
  }

  private async rollover(): Promise<void> {
    const { segment, handle, size } = await createSegment(this.dir, this.segments.at(-1)!.seq + 1, this.durable);
    const old = this.handle;
    this.segments.push(segment);
    this.handle = handle;
    this.size = size;
    await old.close();
  }
}

/** Writes `buffers` contiguously at `position`; returns the byte count. */
async function writeAllAt(handle: FileHandle, buffers: Buffer[], position: number): Promise<number> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten !== total) throw new Error(`short write: ${bytesWritten} of ${total} bytes (is the disk full?)`);
  return total;
}

/**
 * Creates segment `seq` holding only its header, durably (file data and directory entry), so that
 * nothing acknowledged is ever written to a segment that could vanish.
 */
async function createSegment(dir: string, seq: number, at: LogPosition): Promise<{ segment: LiveSegment; handle: FileHandle; size: number }> {
  const path = join(dir, segmentName(seq));
  const handle = await openSegment(path, true);
  try {
    const header = encodeSegmentHeader({ seq, prevIndex: at.lastIndex, hardState: at.hardState });
    const size = await writeAllAt(handle, [frameHeader([header]), header], 0);
    await syncWritten(handle);
    await syncDirectory(dir);
    return { segment: { seq, path, prevIndex: at.lastIndex }, handle, size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
