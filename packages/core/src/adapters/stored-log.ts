import type { Entry } from '../types.js';
import { CompactedError } from './storage.js';

/**
 * The bookkeeping every {@link Storage} adapter needs for the entries after its snapshot, with the
 * contract's errors built in: `CompactedError` below the snapshot, `RangeError` past the end,
 * conflicting suffixes replaced, compaction and snapshot installs. An adapter keeps one in memory
 * so that `entries()` and `term()` never touch its medium, and writes durably around it.
 * Memory is bounded by how often the application snapshots and compacts.
 */
export class StoredLog {
  constructor(
    /** Index just before `entries[0]`: the snapshot index, or 0. */
    private base: number,
    /** Term at `base`. */
    private baseTerm: number,
    private entries: Entry[],
  ) {}

  get snapshotIndex(): number {
    return this.base;
  }

  get firstIndex(): number {
    return this.base + 1;
  }

  get lastIndex(): number {
    return this.base + this.entries.length;
  }

  /** Every entry after the snapshot. */
  all(): readonly Entry[] {
    return this.entries;
  }

  term(index: number): number {
    if (index === this.base) return this.baseTerm;
    if (index < this.base) throw new CompactedError(index, this.base);
    const entry = this.entries[index - this.base - 1];
    if (!entry) throw new RangeError(`log index ${index} is past the last index ${this.lastIndex}`);
    return entry.term;
  }

  slice(lo: number, hi: number): Entry[] {
    if (lo <= this.base) throw new CompactedError(lo, this.base);
    if (hi < lo) throw new RangeError(`entries(${lo}, ${hi}): the range ends before it starts`);
    if (hi - 1 > this.lastIndex) throw new RangeError(`entries(${lo}, ${hi}): index ${hi - 1} is past the last index ${this.lastIndex}`);
    return this.entries.slice(lo - this.base - 1, hi - this.base - 1);
  }

  /**
   * Checks that `entries` can be appended: consecutive, starting at or below `lastIndex + 1`, and
   * after the snapshot.
   */
  checkAppend(entries: readonly Entry[]): void {
    const first = entries[0];
    if (!first) return;
    entries.forEach((e, i) => {
      if (e.index !== first.index + i) {
        throw new RangeError(`save(): entries must be consecutive, but index ${e.index} follows ${entries[i - 1]!.index}`);
      }
    });
    if (first.index > this.lastIndex + 1) {
      throw new RangeError(`save(): the first entry has index ${first.index}, but the log ends at ${this.lastIndex}; entries would be missing`);
    }
    if (first.index <= this.base) {
      throw new RangeError(`save(): entry ${first.index} is at or below the snapshot index ${this.base}; entries covered by a snapshot cannot change`);
    }
  }

  /** Appends checked entries, replacing any suffix from `entries[0].index` on. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (!first) return;
    this.entries.length = first.index - this.base - 1;
    for (const e of entries) this.entries.push(e);
  }

  /** Discards every entry: the log continues after a snapshot at `index` in `term`. */
  reset(index: number, term: number): void {
    this.entries = [];
    this.base = index;
    this.baseTerm = term;
  }

  /** Drops entries up to `index` (a snapshot at `index` in `term` covers them). */
  compactTo(index: number, term: number): void {
    this.entries = index >= this.lastIndex ? [] : this.entries.slice(index - this.base);
    this.base = index;
    this.baseTerm = term;
  }
}
