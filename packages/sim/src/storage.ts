import { NONE } from '@raft/core';
import type { Entry, HardState, PersistedState, Snapshot, SnapshotMeta } from '@raft/core';

/** Read access to a log, enough for the invariant checkers. */
export interface LogView {
  /** Index of the last entry (or the snapshot index when the log after it is empty; 0 when empty). */
  readonly lastIndex: number;
  /** The snapshot index: entries at or below it are compacted away (0 without a snapshot). */
  readonly snapshotIndex: number;
  /** Term of the entry at `index`; the snapshot's term at its index; `undefined` when absent or compacted. */
  termAt(index: number): number | undefined;
  /** The entry at `index`, or `undefined` when absent or compacted. */
  entryAt(index: number): Entry | undefined;
}

/** What one {@link SimStorage.persist} call changed, for the invariant checkers. */
export interface PersistResult {
  /** Durable hard state before the write. */
  readonly hardStateBefore: HardState;
  /** Durable last index before the write. */
  readonly lastIndexBefore: number;
  /** Stored entries that the write replaced (a conflicting suffix), in index order. */
  readonly replaced: readonly Entry[];
}

const INITIAL_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

/**
 * One node's disk in the simulation: exactly what has been made durable, nothing more. A crash
 * keeps this object and throws away the node, so whatever the node had not persisted is lost.
 */
export class SimStorage implements LogView {
  private hard: HardState = INITIAL_HARD_STATE;
  private snapshotMeta: SnapshotMeta | undefined;
  /** Entries after the snapshot: `log[k]` has index `snapshotIndex + 1 + k`. */
  private log: Entry[] = [];

  get hardState(): HardState {
    return this.hard;
  }

  get snapshotIndex(): number {
    return this.snapshotMeta?.index ?? 0;
  }

  get lastIndex(): number {
    return this.snapshotIndex + this.log.length;
  }

  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    if (this.snapshotMeta !== undefined && index === this.snapshotMeta.index) return this.snapshotMeta.term;
    return this.entryAt(index)?.term;
  }

  entryAt(index: number): Entry | undefined {
    return index > this.snapshotIndex ? this.log[index - this.snapshotIndex - 1] : undefined;
  }

  /**
   * Durably applies the persistent part of a Ready: the snapshot (which discards the log), then the
   * entries (replacing the stored suffix from `entries[0].index`), then the hard state.
   */
  persist(update: { readonly snapshot: Snapshot | undefined; readonly entries: readonly Entry[]; readonly hardState: HardState | undefined }): PersistResult {
    const hardStateBefore = this.hard;
    const lastIndexBefore = this.lastIndex;
    let replaced: Entry[] = [];
    if (update.snapshot !== undefined) {
      // Entries the snapshot covers are compacted, not replaced; only a discarded suffix past it is.
      const covered = update.snapshot.meta.index - this.snapshotIndex;
      replaced = this.log.slice(Math.max(0, covered));
      this.snapshotMeta = update.snapshot.meta;
      this.log = [];
    }
    const first = update.entries[0];
    if (first !== undefined) {
      if (first.index <= this.snapshotIndex || first.index > this.lastIndex + 1) {
        throw new RangeError(
          `entries starting at index ${first.index} cannot be stored after a log ending at ${this.lastIndex} (snapshot at ${this.snapshotIndex})`,
        );
      }
      const keep = first.index - this.snapshotIndex - 1;
      replaced = replaced.concat(this.log.slice(keep));
      this.log.length = keep;
      for (const entry of update.entries) this.log.push(entry);
    }
    if (update.hardState !== undefined) this.hard = update.hardState;
    return { hardStateBefore, lastIndexBefore, replaced };
  }

  /** Durably stores a snapshot taken locally at `meta.index` and drops the log it covers. */
  saveSnapshot(meta: SnapshotMeta): void {
    if (meta.index <= this.snapshotIndex) return;
    if (meta.index > this.lastIndex) throw new RangeError(`snapshot at ${meta.index} is past the last stored entry ${this.lastIndex}`);
    this.log = this.log.slice(meta.index - this.snapshotIndex);
    this.snapshotMeta = meta;
  }

  /** What a restarting node reads back: copies, so the node cannot alter the "disk". */
  load(): PersistedState {
    return { hardState: this.hard, snapshot: this.snapshotMeta, entries: this.log.slice() };
  }
}
