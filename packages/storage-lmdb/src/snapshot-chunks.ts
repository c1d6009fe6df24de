import { checked } from './checked.js';
import { StorageCorruptionError, StorageFailedError } from './errors.js';
import { decodeChunk, encodeChunk, type SnapshotRecord } from './records.js';
import type { Tables } from './tables.js';

/** Snapshot bytes a write may have in flight at once. */
const STAGING_BYTES = 8 * 1024 * 1024;

/** Where staged snapshot data ended up. */
export interface StagedData {
  readonly generation: number;
  readonly size: number;
  readonly chunks: number;
}

/**
 * Snapshot data, kept in the database in chunks keyed `[generation, sequence]`. A new snapshot's
 * chunks are written under a generation no record points to yet (in as many commits as
 * needed, since the data arrives as a stream and a write transaction must not wait on it); the
 * snapshot becomes current when the commit that points the snapshot record at that generation
 * lands, and that commit removes every other generation. A crash before it leaves orphan chunks,
 * which the next load removes.
 */
export class SnapshotChunks {
  constructor(
    private readonly tables: Tables,
    private readonly dir: string,
    private readonly chunkBytes: number,
  ) {}

  /**
   * Writes `data` under a new generation, after `current` and any orphan's. Chunk writes are
   * pipelined (up to {@link STAGING_BYTES} in flight), so lmdb-js packs the chunks that queue up
   * during one commit's fdatasync into the next commit; the caller's final commit makes them all
   * durable, as LMDB commits land in order.
   */
  async stage(data: AsyncIterable<Uint8Array>, current: number): Promise<StagedData> {
    const [newest] = this.tables.chunks.getKeys({ reverse: true, limit: 1 });
    const generation = Math.max(current, newest?.[0] ?? 0) + 1;
    const window = Math.max(1, Math.floor(STAGING_BYTES / this.chunkBytes));
    const writes: Promise<void>[] = [];
    let failure: unknown;
    let chunks = 0;
    let size = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      // Every write gets its handler now, so a failure is never an unhandled rejection.
      const write = this.tables.chunks.put([generation, chunks++], encodeChunk(pending)).then(
        () => undefined,
        (e: unknown) => {
          failure ??= e;
        },
      );
      pending = [];
      pendingBytes = 0;
      writes.push(write);
      if (writes.length >= window) await writes.shift();
      if (failure !== undefined) throw new StorageFailedError(this.dir, 'writing a snapshot chunk', failure);
    };
    try {
      for await (const piece of data) {
        size += piece.length;
        let rest = piece;
        while (pendingBytes + rest.length >= this.chunkBytes) {
          const take = this.chunkBytes - pendingBytes;
          pending.push(rest.subarray(0, take));
          rest = rest.subarray(take);
          await flush();
        }
        // Copied: the source may reuse its buffer once it has yielded it.
        if (rest.length > 0) {
          pending.push(rest.slice());
          pendingBytes += rest.length;
        }
      }
      if (pendingBytes > 0) await flush();
    } finally {
      await Promise.all(writes);
    }
    if (failure !== undefined) throw new StorageFailedError(this.dir, 'writing a snapshot chunk', failure);
    return { generation, size, chunks };
  }

  /** Removes the chunks of every generation but `generation`. Runs inside a write transaction. */
  removeAllBut(generation: number): void {
    const others = [...this.tables.chunks.getKeys({ end: [generation] }), ...this.tables.chunks.getKeys({ start: [generation + 1] })];
    for (const key of others) this.tables.chunks.removeSync(key);
  }

  /** Whether chunks of any generation but `generation` exist (left by a crash while staging). */
  hasOthers(generation: number): boolean {
    const [before] = this.tables.chunks.getKeys({ end: [generation], limit: 1 });
    const [after] = this.tables.chunks.getKeys({ start: [generation + 1], limit: 1 });
    return before !== undefined || after !== undefined;
  }

  /**
   * Streams a snapshot's data, checking every chunk. `gone` explains why the snapshot can no
   * longer be read (the storage closed, a newer snapshot replaced it), or returns undefined.
   */
  async *read(record: SnapshotRecord, gone: () => string | undefined): AsyncGenerator<Uint8Array> {
    const name = `snapshot ${record.meta.index}`;
    let size = 0;
    for (let seq = 0; seq < record.chunks; seq++) {
      const why = gone();
      if (why !== undefined) throw new Error(`${name} cannot be read any more: ${why}`);
      const value = this.tables.chunks.get([record.generation, seq]);
      if (value === undefined) throw new StorageCorruptionError(this.dir, `${name} chunk ${seq}`, `missing (the snapshot has ${record.chunks} chunks)`);
      const bytes = checked(this.dir, `${name} chunk ${seq}`, () => decodeChunk(value));
      size += bytes.length;
      yield bytes;
    }
    if (size !== record.size) throw new StorageCorruptionError(this.dir, name, `its chunks hold ${size} bytes, its record says ${record.size}`);
  }
}
