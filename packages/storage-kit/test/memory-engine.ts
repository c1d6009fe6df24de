import type { Entry } from '@raft/core';
import {
  KeyValueStorage,
  checkLog,
  encodeHardState,
  encodeIndex,
  encodeSnapshot,
  firstStoredIndex,
  readMeta,
  snapshotChunkBytes,
  type KeyValueEngine,
  type KeyValueStorageOptions,
  type KeyValueWrite,
  type LogMetaKey,
  type Recovered,
} from '../src/index.js';

/** What a directory holds: it outlives the storage, so a reopen reads back what was written. */
interface Store {
  readonly meta: Map<LogMetaKey, Buffer>;
  readonly entries: Map<number, Entry>;
  /** Chunks by `generation:sequence`. */
  readonly chunks: Map<string, Buffer>;
}

const stores = new Map<string, Store>();

/** Test controls of a {@link MemoryStorage}'s engine. */
export interface Faults {
  /** Set: every write from now on rejects with it, as a failing disk would. */
  failWrites?: Error;
  /** Engine writes so far; each is one batch (one group commit). */
  writes: number;
}

/**
 * A {@link KeyValueEngine} over maps, kept per directory name for the life of the process: enough to
 * test {@link KeyValueStorage} without a real engine. Meta records are sealed with the kit's codec;
 * entries are kept as objects.
 */
class MemoryEngine implements KeyValueEngine {
  constructor(
    private readonly dir: string,
    private readonly store: Store,
    private readonly faults: Faults,
  ) {}

  async recover(): Promise<Recovered> {
    const meta = await readMeta(this.dir, (key) => this.store.meta.get(key));
    const firstStored = firstStoredIndex(this.dir, meta);
    const stored: Entry[] = [];
    for (let index = firstStored; this.store.entries.has(index); index++) stored.push(this.store.entries.get(index)!);
    return checkLog(this.dir, meta, firstStored, stored);
  }

  async write(batch: readonly KeyValueWrite[]): Promise<void> {
    this.faults.writes++;
    if (this.faults.failWrites) throw this.faults.failWrites;
    const { meta, entries } = this.store;
    const drop = (from: number, to: number): void => {
      for (let index = from; index <= to; index++) entries.delete(index);
    };
    for (const op of batch) {
      if (op.kind === 'save') {
        drop(op.lastIndex + 1, op.previousLastIndex);
        for (const entry of op.entries) entries.set(entry.index, entry);
        if (op.entries.length > 0) meta.set('lastIndex', encodeIndex(op.lastIndex));
        if (op.hardState) meta.set('hardState', encodeHardState(op.hardState));
      } else if (op.kind === 'compact') {
        drop(op.firstStored, op.index);
        meta.set('firstIndex', encodeIndex(op.index + 1));
      } else {
        const keep = op.kind === 'snapshot' ? op.record.generation : op.generation;
        for (const key of this.store.chunks.keys()) if (!key.startsWith(`${keep}:`)) this.store.chunks.delete(key);
        if (op.kind === 'snapshot') {
          meta.set('snapshot', encodeSnapshot(op.record));
          if (op.replacedLog) {
            drop(op.replacedLog.firstStored, op.replacedLog.lastIndex);
            meta.set('firstIndex', encodeIndex(op.record.meta.index + 1));
            meta.set('lastIndex', encodeIndex(op.record.meta.index));
          }
        }
      }
    }
  }

  newGeneration(current: number): number {
    return Math.max(current, ...this.#generations()) + 1;
  }

  async putChunk(generation: number, sequence: number, value: Buffer): Promise<void> {
    this.store.chunks.set(`${generation}:${sequence}`, value);
  }

  getChunk(generation: number, sequence: number): Buffer | undefined {
    return this.store.chunks.get(`${generation}:${sequence}`);
  }

  hasOtherChunks(generation: number): boolean {
    return this.#generations().some((stored) => stored !== generation);
  }

  async close(): Promise<void> {}

  #generations(): number[] {
    return [...this.store.chunks.keys()].map((key) => Number(key.split(':')[0]));
  }
}

/** A {@link KeyValueStorage} over {@link MemoryEngine}. */
export class MemoryStorage extends KeyValueStorage {
  private constructor(
    dir: string,
    engine: MemoryEngine,
    chunkBytes: number,
    /** Test controls of the engine. */
    readonly faults: Faults,
  ) {
    super(dir, engine, 'MemoryStorage', chunkBytes);
  }

  static async open(dir: string, options: KeyValueStorageOptions = {}): Promise<MemoryStorage> {
    const chunkBytes = snapshotChunkBytes('MemoryStorage', options.snapshotChunkBytes);
    let store = stores.get(dir);
    if (!store) stores.set(dir, (store = { meta: new Map(), entries: new Map(), chunks: new Map() }));
    const faults: Faults = { writes: 0 };
    return new MemoryStorage(dir, new MemoryEngine(dir, store, faults), chunkBytes, faults);
  }

  /** What the directory `dir` holds, to damage it or look at it. */
  static store(dir: string): Store {
    return stores.get(dir)!;
  }
}
