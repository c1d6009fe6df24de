import { checked } from './checked.js';
import { readError, type Db, type Op } from './db.js';
import { StorageCorruptionError, StorageFailedError } from './errors.js';
import { CHUNKS_END, CHUNKS_START, chunkId, chunkKey } from './keys.js';
import { decodeChunk, encodeChunk, type SnapshotRecord } from './records.js';

/** Snapshot bytes a write may have in flight at once. */
const STAGING_BYTES = 8 * 1024 * 1024;

/** Where staged snapshot data ended up. */
export interface StagedData {
  readonly generation: number;
  readonly size: number;
  readonly chunks: number;
}

/**
 * Snapshot data, kept in the database in chunks keyed by generation and sequence. A new snapshot's
 * chunks are written under a generation no record points to yet, as the data streams in; the
 * snapshot becomes current when the batch that points the snapshot record at that generation
 * lands, and that batch removes every other generation. A crash before it leaves orphan chunks,
 * which the next load removes.
 *
 * The generations stored, and how many chunks each has, are kept in memory (scanned once by
 * {@link SnapshotChunks.scan}), so that the batch switching snapshots can list the keys to remove
 * without reading the database.
 */
export class SnapshotChunks {
  /** Chunks stored per generation (one past the highest sequence seen). */
  readonly #stored = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly dir: string,
    private readonly chunkBytes: number,
  ) {}

  /** Reads which generations are stored. Called once, by `load()`. */
  async scan(): Promise<void> {
    try {
      for await (const key of this.db.keys({ gte: CHUNKS_START, lt: CHUNKS_END })) {
        const id = chunkId(key);
        if (id === undefined) throw new StorageCorruptionError(this.dir, 'snapshot chunks', `a key of ${key.length} bytes (${key.toString('hex')}) lies among them`);
        this.#stored.set(id[0], Math.max(this.#stored.get(id[0]) ?? 0, id[1] + 1));
      }
    } catch (e) {
      throw readError(this.dir, 'the snapshot chunks', e);
    }
  }

  /**
   * Writes `data` under a new generation, after `current` and any orphan's. Each chunk is a
   * synced write (so it is durable before the snapshot record that points to it, whichever
   * LevelDB log file it lands in); up to {@link STAGING_BYTES} are in flight at once, which
   * LevelDB groups into shared log writes and fdatasyncs.
   */
  async stage(data: AsyncIterable<Uint8Array>, current: number): Promise<StagedData> {
    const generation = Math.max(current, ...this.#stored.keys()) + 1;
    this.#stored.set(generation, 0);
    const window = Math.max(1, Math.floor(STAGING_BYTES / this.chunkBytes));
    const writes: Promise<void>[] = [];
    let failure: unknown;
    let chunks = 0;
    let size = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async (): Promise<void> => {
      const sequence = chunks++;
      this.#stored.set(generation, chunks);
      // Every write gets its handler now, so a failure is never an unhandled rejection.
      const write = this.db.put(chunkKey(generation, sequence), encodeChunk(pending), { sync: true }).then(
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

  /** The removal of every generation's chunks but `generation`'s, for the batch that switches to it. */
  removeAllBut(generation: number): Op[] {
    const ops: Op[] = [];
    for (const [stored, count] of this.#stored) {
      if (stored === generation) continue;
      for (let seq = 0; seq < count; seq++) ops.push({ type: 'del', key: chunkKey(stored, seq) });
      this.#stored.delete(stored);
    }
    return ops;
  }

  /** Whether chunks of any generation but `generation` exist (left by a crash while staging). */
  hasOthers(generation: number): boolean {
    return [...this.#stored.keys()].some((stored) => stored !== generation);
  }

  /**
   * Streams a snapshot's data, checking every chunk. `gone` explains why the snapshot can no
   * longer be read (the storage closed, a newer snapshot replaced it), or returns undefined.
   */
  async *read(record: SnapshotRecord, gone: () => string | undefined): AsyncGenerator<Uint8Array> {
    const name = `snapshot ${record.meta.index}`;
    let size = 0;
    for (let seq = 0; seq < record.chunks; seq++) {
      let why = gone();
      if (why !== undefined) throw new Error(`${name} cannot be read any more: ${why}`);
      let value: Buffer | undefined;
      try {
        value = await this.db.get(chunkKey(record.generation, seq));
      } catch (e) {
        why = gone();
        if (why !== undefined) throw new Error(`${name} cannot be read any more: ${why}`);
        throw readError(this.dir, `${name} chunk ${seq}`, e);
      }
      if (value === undefined) {
        why = gone();
        if (why !== undefined) throw new Error(`${name} cannot be read any more: ${why}`);
        throw new StorageCorruptionError(this.dir, `${name} chunk ${seq}`, `missing (the snapshot has ${record.chunks} chunks)`);
      }
      const bytes = checked(this.dir, `${name} chunk ${seq}`, () => decodeChunk(value));
      size += bytes.length;
      yield bytes;
    }
    if (size !== record.size) throw new StorageCorruptionError(this.dir, name, `its chunks hold ${size} bytes, its record says ${record.size}`);
  }
}
