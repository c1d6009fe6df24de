import type { Entry, HardState, SnapshotMeta } from '../types.js';

/**
 * What a node reads back from its storage when it starts.
 */
export interface PersistedState {
  /** The last hard state saved, or `{ term: 0, vote: NONE, commit: 0 }` for a new node. */
  readonly hardState: HardState;
  /** Metadata of the latest snapshot, if any. Entries up to `snapshot.index` are compacted away. */
  readonly snapshot: SnapshotMeta | undefined;
  /** Every log entry after the snapshot (or from index 1), in order. */
  readonly entries: readonly Entry[];
}

/** A stored snapshot: its metadata now, its bytes streamed on demand. */
export interface StoredSnapshot {
  readonly meta: SnapshotMeta;
  /** Total size of the snapshot data in bytes. */
  readonly size: number;
  /** Streams the snapshot data from the start. May be called more than once. */
  read(): AsyncIterable<Uint8Array>;
}

/**
 * The contract a storage adapter implements: where a node keeps its log, hard state and snapshot.
 *
 * Every method that writes resolves only once what it wrote is durable (it would survive a power
 * cut). A crash may lose a write that had not resolved, but never one that had, and never leaves a
 * half-written entry readable. Calls are made one at a time: the runtime never issues a write
 * while another is pending, so adapters need no internal locking between writes.
 *
 * Run `storageContractSuite` from `@raft/conformance` against an implementation to check it.
 */
export interface Storage {
  /** Reads everything a restarting node needs. Called once, before any other method. */
  load(): Promise<PersistedState>;

  /**
   * Durably saves new entries and/or a new hard state.
   *
   * `entries` are consecutive; if `entries[0].index` is at or below the last stored index, every
   * stored entry from that index on is discarded first (a conflicting suffix is replaced). Entries
   * are made durable before `hardState`, so after a crash a recovered hard state never refers to
   * entries that were lost.
   */
  save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void>;

  /**
   * Entries with indexes in `[lo, hi)`. Rejects with {@link CompactedError} if `lo` is at or
   * below the snapshot index, and with a `RangeError` if `hi - 1` is past the last index.
   */
  entries(lo: number, hi: number): Promise<Entry[]>;

  /**
   * Term of the entry at `index`. The snapshot's own index answers with the snapshot's term;
   * below it rejects with {@link CompactedError}; past the last index with a `RangeError`.
   */
  term(index: number): Promise<number>;

  /** Index of the first entry still stored (snapshot index + 1, or 1). */
  firstIndex(): Promise<number>;

  /** Index of the last entry stored (the snapshot index when the log after it is empty, or 0). */
  lastIndex(): Promise<number>;

  /**
   * Durably stores a snapshot taken locally, replacing any older one. The log is untouched; call
   * {@link Storage.compact} afterwards to drop what the snapshot covers.
   */
  saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void>;

  /**
   * Durably installs a snapshot received from a leader: stores it and discards every log entry.
   * The log continues at `meta.index + 1`.
   */
  installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void>;

  /** The latest snapshot, or `undefined` if none was ever saved. */
  readSnapshot(): Promise<StoredSnapshot | undefined>;

  /**
   * Discards entries up to and including `index`, which must not exceed the snapshot index
   * (rejects with a `RangeError` otherwise). Space may be reclaimed lazily.
   */
  compact(index: number): Promise<void>;

  /** Releases every file handle, lock and timer. The storage is unusable afterwards. */
  close(): Promise<void>;
}

/** The requested log position was discarded by compaction; a snapshot covers it. */
export class CompactedError extends Error {
  override readonly name = 'CompactedError';
  constructor(
    /** The index that was asked for. */
    readonly index: number,
    /** The snapshot index: everything up to here is compacted. */
    readonly snapshotIndex: number,
  ) {
    super(`log index ${index} is compacted (snapshot covers up to ${snapshotIndex}); read the snapshot instead`);
  }
}
