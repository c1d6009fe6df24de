import { StorageCorruptionError } from '@raft/storage-kit';
import { readError, type Db, type Op } from './db.js';
import { CHUNKS_END, CHUNKS_START, chunkId, chunkKey } from './keys.js';

/**
 * The snapshot chunks in the database, keyed by generation and sequence (see keys.ts). The
 * generations stored, and how many chunks each has, are kept in memory (scanned once by
 * {@link SnapshotChunks.scan}), so that the batch switching snapshots can list the keys to remove
 * without reading the database.
 */
export class SnapshotChunks {
  /** Chunks stored per generation (one past the highest sequence seen). */
  readonly #stored = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly dir: string,
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

  /** A generation above `current` and every generation stored (an orphan's too). */
  newGeneration(current: number): number {
    const generation = Math.max(current, ...this.#stored.keys()) + 1;
    this.#stored.set(generation, 0);
    return generation;
  }

  /**
   * Writes a chunk as a synced write of its own, so it is durable before the snapshot record that
   * points to it, whichever LevelDB log file it lands in; LevelDB groups the chunks in flight at
   * once into shared log writes and fdatasyncs.
   */
  put(generation: number, sequence: number, value: Buffer): Promise<void> {
    this.#stored.set(generation, sequence + 1);
    return this.db.put(chunkKey(generation, sequence), value, { sync: true });
  }

  async get(generation: number, sequence: number, what: string): Promise<Buffer | undefined> {
    try {
      return await this.db.get(chunkKey(generation, sequence));
    } catch (e) {
      throw readError(this.dir, what, e);
    }
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
}
