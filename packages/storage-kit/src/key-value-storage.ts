import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredLog, StoredSnapshot } from '@raft/core';
import { StorageFailedError } from './errors.js';
import type { SnapshotRecord } from './records.js';
import type { Recovered } from './recover.js';
import { readChunks, stageChunks } from './snapshot-chunks.js';

/**
 * One write {@link KeyValueStorage} asks its engine to make durable. An engine applies the writes
 * of a batch in order, in one atomic write.
 */
export type KeyValueWrite =
  | {
      readonly kind: 'save';
      /**
       * Entries to store (consecutive; perhaps none). They supersede every stored entry from the
       * first one's index on.
       */
      readonly entries: readonly Entry[];
      /** The hard state to store, when it changed. */
      readonly hardState: HardState | undefined;
      /** The log's last index after this write (the `lastIndex` record, when there are entries). */
      readonly lastIndex: number;
      /** The log's last index before it: stored entries after `lastIndex` up to here are superseded too. */
      readonly previousLastIndex: number;
    }
  | {
      readonly kind: 'snapshot';
      /** The new snapshot record. The chunks of every other generation go. */
      readonly record: SnapshotRecord;
      /**
       * Set when the snapshot replaces the whole log (an installed snapshot, or one past the end of
       * the log): the entries stored from `firstStored` to `lastIndex` go, and the log continues
       * after the snapshot (first index its index + 1, last index its index).
       */
      readonly replacedLog: { readonly firstStored: number; readonly lastIndex: number } | undefined;
    }
  | {
      readonly kind: 'compact';
      /** The entries stored from `firstStored` through `index` go; the first index becomes `index + 1`. */
      readonly firstStored: number;
      readonly index: number;
    }
  | {
      /**
       * The chunks of every generation but `generation` go: left by a crash while a snapshot was
       * being staged. The only write that stores nothing.
       */
      readonly kind: 'removeOrphanChunks';
      readonly generation: number;
    };

/**
 * What a key-value engine does for a {@link KeyValueStorage}: keep the log, the meta records and
 * snapshot chunks (values sealed with the kit's codec), and make batches of writes durable.
 */
export interface KeyValueEngine {
  /**
   * Reads the data directory back, checking every record (see {@link readMeta},
   * {@link firstStoredIndex}, {@link checkLog}). Called once, by `load()`, before any write.
   *
   * @throws StorageCorruptionError naming the damaged record.
   */
  recover(): Promise<Recovered>;
  /**
   * Makes `batch` durable, atomically and in order: resolves only once it would survive a power
   * cut. A rejection fails the storage for good.
   */
  write(batch: readonly KeyValueWrite[]): Promise<void>;
  /** A generation for a new snapshot's chunks: above `current` and above every generation stored. */
  newGeneration(current: number): number;
  /**
   * Stores chunk `sequence` of `generation`. It must be durable once a later {@link write} (the
   * one that points the snapshot record at it) has resolved.
   */
  putChunk(generation: number, sequence: number, value: Buffer): Promise<unknown>;
  /** Reads a chunk, or undefined when it is missing. `what` names it for an error (`snapshot 8 chunk 3`). */
  getChunk(generation: number, sequence: number, what: string): Buffer | undefined | Promise<Buffer | undefined>;
  /** Whether chunks of any generation but `generation` are stored. */
  hasOtherChunks(generation: number): boolean;
  /**
   * Releases the engine, after every write issued has finished. `failed` says a write failed: the
   * disk may be failing, so writes on the way out (giving up a claim) can be skipped.
   */
  close(failed: boolean): Promise<void>;
}

/** Options of a key-value storage's `open`. */
export interface KeyValueStorageOptions {
  /**
   * Snapshot data is stored in values of at most this many bytes, each written as the data streams
   * in. Default 1 MiB.
   */
  readonly snapshotChunkBytes?: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/**
 * The {@link KeyValueStorageOptions.snapshotChunkBytes} option, checked, or the default. Check it
 * before opening the engine.
 *
 * @param storage - the storage class, named in the error.
 * @throws RangeError if `requested` is not a positive integer.
 */
export function snapshotChunkBytes(storage: string, requested: number | undefined): number {
  const chunkBytes = requested ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`${storage}: snapshotChunkBytes must be a positive integer, got ${chunkBytes}`);
  }
  return chunkBytes;
}

/** Everything that exists only between `load()` and `close()`. */
interface Loaded {
  /** The entries after the snapshot, mirrored in memory so reads never wait. */
  readonly log: StoredLog;
  snapshot: SnapshotRecord | undefined;
  /** First index stored: entries the snapshot covers stay until `compact()`. */
  firstStored: number;
}

interface PendingWrite {
  readonly action: string;
  readonly write: KeyValueWrite;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A durable {@link Storage} over a key-value engine, which an adapter supplies as a
 * {@link KeyValueEngine}: the log is mirrored in memory (a {@link StoredLog}) so reads never touch
 * the engine, and every write is described to the engine as a {@link KeyValueWrite}.
 *
 * - Group commit: writes that arrive while a batch is being written wait and then share the next
 *   one (one engine write for all of them), in call order.
 * - A failed write leaves memory ahead of the disk, so it fails every later call with the same
 *   {@link StorageFailedError}; a restart reads back exactly what is durable.
 * - Snapshots are staged in chunks under a generation no record points to yet, as the data streams
 *   in; the write that points the snapshot record at that generation removes every other one. A
 *   crash before it leaves orphan chunks, which `load()` removes.
 *
 * An adapter extends it with a static `open` that checks and opens its engine.
 */
export abstract class KeyValueStorage implements Storage {
  readonly #engine: KeyValueEngine;
  /** The adapter's class name, for messages. */
  readonly #storage: string;
  readonly #chunkBytes: number;
  #state: Loaded | undefined;
  #closed = false;
  /** Set when a write failed: memory is then ahead of the disk, so nothing else may run. */
  #failure: StorageFailedError | undefined;
  /** Writes waiting for the next group commit. */
  readonly #pending: PendingWrite[] = [];
  /** The running flush loop, if any. */
  #flushing: Promise<void> | undefined;

  /**
   * @param dir - the data directory (absolute).
   * @param engine - the engine, opened on `dir`.
   * @param storage - the adapter's class name, e.g. `LevelStorage`, for messages.
   * @param chunkBytes - snapshot data goes in chunks of this many bytes (see {@link snapshotChunkBytes}).
   */
  protected constructor(
    /** The data directory (absolute). */
    readonly dir: string,
    engine: KeyValueEngine,
    storage: string,
    chunkBytes: number,
  ) {
    this.#engine = engine;
    this.#storage = storage;
    this.#chunkBytes = chunkBytes;
  }

  /**
   * Reads the directory back, checking every record, and removes snapshot chunks a crash left
   * behind.
   *
   * @throws StorageCorruptionError naming the damaged record.
   */
  async load(): Promise<PersistedState> {
    if (this.#closed) throw this.#closedError();
    if (this.#state) throw new Error(`${this.#storage}.load() was already called; it is called once, when the node starts`);
    const { hardState, snapshot, log, firstStored } = await this.#engine.recover();
    const generation = snapshot?.generation ?? 0;
    if (this.#engine.hasOtherChunks(generation)) {
      await this.#commit('removing snapshot chunks left by a crash', { kind: 'removeOrphanChunks', generation });
    }
    this.#state = { log, snapshot, firstStored };
    return { hardState, snapshot: snapshot?.meta, entries: [...log.all()] };
  }

  async save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void> {
    // Everything up to the commit runs synchronously, so concurrent callers are ordered by call.
    const s = this.#writable();
    const entries = update.entries ?? [];
    const { hardState } = update;
    if (entries.length === 0 && !hardState) return;
    s.log.checkAppend(entries);
    const previousLastIndex = s.log.lastIndex;
    // Entries are immutable (see Entry), so the log keeps the caller's objects, not copies.
    s.log.append(entries);
    await this.#commit('saving entries and hard state', {
      kind: 'save',
      // Copied now: the engine writes them later, and the caller may reuse its array or object.
      entries: entries.slice(),
      hardState: hardState && { term: hardState.term, vote: hardState.vote, commit: hardState.commit },
      lastIndex: s.log.lastIndex,
      previousLastIndex,
    });
  }

  async entries(lo: number, hi: number): Promise<Entry[]> {
    return this.#loaded().log.slice(lo, hi);
  }

  async term(index: number): Promise<number> {
    return this.#loaded().log.term(index);
  }

  async firstIndex(): Promise<number> {
    return this.#loaded().log.firstIndex;
  }

  async lastIndex(): Promise<number> {
    return this.#loaded().log.lastIndex;
  }

  async saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const s = this.#writable();
    checkNotOlder(meta, s.log.snapshotIndex);
    if (meta.index <= s.log.lastIndex && s.log.term(meta.index) !== meta.term) {
      throw new RangeError(
        `saveSnapshot(): the snapshot says index ${meta.index} has term ${meta.term}, the log says ${s.log.term(meta.index)}; ` +
          'a local snapshot must match the log (use installSnapshot for a snapshot from the leader)',
      );
    }
    const record = { meta, ...(await this.#stage(data, s.snapshot?.generation ?? 0)) };
    // Past the end of the log nothing is left to keep: the log continues after the snapshot.
    if (meta.index > s.log.lastIndex) return this.#replaceLog(s, record);
    s.log.compactTo(meta.index, meta.term);
    s.snapshot = record;
    await this.#commit('saving a snapshot', { kind: 'snapshot', record, replacedLog: undefined });
  }

  async installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const s = this.#writable();
    checkNotOlder(meta, s.log.snapshotIndex);
    await this.#replaceLog(s, { meta, ...(await this.#stage(data, s.snapshot?.generation ?? 0)) });
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    const s = this.#loaded();
    const record = s.snapshot;
    if (!record) return undefined;
    const gone = (): string | undefined => {
      if (this.#closed) return 'the storage is closed';
      return s.snapshot === record ? undefined : `it was replaced by snapshot ${s.snapshot?.meta.index}; call readSnapshot() again`;
    };
    const read = (): AsyncGenerator<Uint8Array> => readChunks(this.dir, record, gone, (seq, what) => this.#engine.getChunk(record.generation, seq, what));
    return { meta: record.meta, size: record.size, read };
  }

  async compact(index: number): Promise<void> {
    const s = this.#writable();
    if (index > s.log.snapshotIndex) {
      throw new RangeError(`compact(${index}): only entries covered by the snapshot (up to ${s.log.snapshotIndex}) can be compacted; save a snapshot first`);
    }
    if (index < s.firstStored) return;
    const { firstStored } = s;
    s.firstStored = index + 1;
    await this.#commit('compacting the log', { kind: 'compact', firstStored, index });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = undefined;
    // Writes already issued finish first; their callers are waiting for them.
    await this.#flushing;
    await this.#engine.close(this.#failure !== undefined);
  }

  /** Writes `data` in chunks under a new generation, after `current` and any orphan's. */
  async #stage(data: AsyncIterable<Uint8Array>, current: number): Promise<Omit<SnapshotRecord, 'meta'>> {
    const generation = this.#engine.newGeneration(current);
    const staged = await stageChunks(this.dir, this.#chunkBytes, data, (seq, value) => this.#engine.putChunk(generation, seq, value));
    return { generation, ...staged };
  }

  /** Makes `record` the snapshot and empties the log, which continues after it: one write. */
  async #replaceLog(s: Loaded, record: SnapshotRecord): Promise<void> {
    const { index, term } = record.meta;
    const replacedLog = { firstStored: s.firstStored, lastIndex: s.log.lastIndex };
    s.log.reset(index, term);
    s.snapshot = record;
    s.firstStored = index + 1;
    await this.#commit('replacing the log with a snapshot', { kind: 'snapshot', record, replacedLog });
  }

  /** Queues `write` for the next group commit and resolves once it is durable. */
  #commit(action: string, write: KeyValueWrite): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ action, write, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        if (this.#failure) throw this.#failure;
        await this.#engine.write(batch.map((pending) => pending.write));
        for (const pending of batch) pending.resolve();
      } catch (e) {
        this.#failure ??= e instanceof StorageFailedError ? e : new StorageFailedError(this.dir, batch[0]!.action, e);
        for (const pending of batch) pending.reject(this.#failure);
      }
      // Callers resolved just now typically write again at once: let them, so that their writes
      // join the next batch rather than the first of them going alone.
      await new Promise(setImmediate);
    }
    this.#flushing = undefined;
  }

  #loaded(): Loaded {
    if (this.#closed) throw this.#closedError();
    if (!this.#state) throw new Error(`${this.#storage}: call load() before any other method`);
    return this.#state;
  }

  #writable(): Loaded {
    const s = this.#loaded();
    if (this.#failure) throw this.#failure;
    return s;
  }

  #closedError(): Error {
    return new Error(`this ${this.#storage} is closed; open the directory again to use it`);
  }
}

function checkNotOlder(meta: SnapshotMeta, current: number): void {
  if (meta.index < current) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored snapshot at ${current}; it would lose applied state`);
  }
}
