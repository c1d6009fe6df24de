import type { Entry, Snapshot, SnapshotMeta } from '../types.js';

/** A position in the log: an index and the term of the entry there. */
export interface LogPosition {
  readonly index: number;
  readonly term: number;
}

/**
 * A node's log as the core sees it: the entries after the latest snapshot, which of them are
 * durable, committed, and handed out to be applied.
 *
 * Indexes: `snapshot.index < applied <= committed <= lastIndex`, and entries up to `stable` are
 * known to be durable. Entries are kept in memory from the snapshot on; {@link RaftLog.compact}
 * drops what a snapshot covers.
 */
export class RaftLog {
  #snapshot: LogPosition;
  /** `entries[i]` has index `snapshot.index + 1 + i`. */
  #entries: Entry[];
  /** Highest index known durable. */
  stable: number;
  /** Highest index known committed. */
  committed: number;
  /** Highest index handed out for applying (in a Ready not necessarily advanced yet). */
  handedOut: number;
  /** Highest index whose application was acknowledged by `advance`. */
  applied: number;
  /** A snapshot received from the leader, to be persisted and restored by the runtime. */
  pendingSnapshot: Snapshot | undefined;

  constructor(snapshot: LogPosition, entries: readonly Entry[], committed: number, applied: number) {
    this.#snapshot = snapshot;
    this.#entries = [...entries];
    this.stable = this.lastIndex;
    this.committed = committed;
    this.applied = applied;
    this.handedOut = applied;
  }

  get snapshotIndex(): number {
    return this.#snapshot.index;
  }

  get snapshotTerm(): number {
    return this.#snapshot.term;
  }

  get firstIndex(): number {
    return this.#snapshot.index + 1;
  }

  get lastIndex(): number {
    return this.#snapshot.index + this.#entries.length;
  }

  get lastTerm(): number {
    return this.#entries.length === 0 ? this.#snapshot.term : this.#entries[this.#entries.length - 1]!.term;
  }

  /** Term of the entry at `index`; `undefined` when compacted away or past the end. */
  term(index: number): number | undefined {
    if (index === this.#snapshot.index) return this.#snapshot.term;
    if (index < this.#snapshot.index || index > this.lastIndex) return undefined;
    return this.#entries[index - this.#snapshot.index - 1]!.term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Raft's up-to-date check (§5.4.1): is a log ending at (`index`, `term`) at least as current as ours? */
  isUpToDate(index: number, term: number): boolean {
    const lastTerm = this.lastTerm;
    return term > lastTerm || (term === lastTerm && index >= this.lastIndex);
  }

  /** Entries in `[lo, hi)`, at most `maxBytes` of data (but always at least one). `lo` must not be compacted. */
  slice(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): Entry[] {
    const offset = this.#snapshot.index + 1;
    if (lo < offset) throw new Error(`raft log: slice from ${lo} but entries before ${offset} are compacted`);
    const end = Math.min(hi, this.lastIndex + 1);
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < end; i++) {
      const entry = this.#entries[i - offset]!;
      bytes += entry.data.byteLength;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Appends entries a leader created itself. */
  appendOwn(entry: Entry): void {
    this.#entries.push(entry);
  }

  /**
   * Appends entries received from the leader after the entry at (`prevIndex`, `prevTerm`),
   * truncating a conflicting suffix.
   * @returns the index of the last new entry, or `undefined` if our log does not contain the
   *   previous entry (the AppendEntries consistency check failed).
   * @throws Error if the conflict would rewrite a committed entry: that means a safety violation.
   */
  tryAppend(prevIndex: number, prevTerm: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const existing = this.term(entry.index);
      if (existing === entry.term) continue;
      if (entry.index <= this.committed) {
        throw new Error(
          `raft log: entry ${entry.index} conflicts with a committed entry (term ${existing} vs ${entry.term}); a safety invariant is broken`,
        );
      }
      this.#truncateFrom(entry.index);
      for (let j = i; j < entries.length; j++) this.#entries.push(entries[j]!);
      break;
    }
    return lastNew;
  }

  #truncateFrom(index: number): void {
    this.#entries.length = index - this.#snapshot.index - 1;
    if (this.stable >= index) this.stable = index - 1;
  }

  /**
   * For fast backtracking: the last position at or below `index` whose term is at most `term`.
   * A rejecting follower sends it as a hint; the leader uses it to skip whole terms.
   */
  findConflictByTerm(index: number, term: number): LogPosition {
    let i = Math.min(index, this.lastIndex);
    for (; i > this.#snapshot.index; i--) {
      const t = this.#entries[i - this.#snapshot.index - 1]!.term;
      if (t <= term) return { index: i, term: t };
    }
    return { index: i, term: i === this.#snapshot.index ? this.#snapshot.term : 0 };
  }

  /** Advances the commit index; never moves it back. */
  commitTo(index: number): boolean {
    if (index <= this.committed) return false;
    if (index > this.lastIndex) {
      throw new Error(
        `raft log: the leader says ${index} is committed here, but this log ends at ${this.lastIndex}: this node lost entries ` +
          'it had acknowledged (a wiped or restored data directory started again under the same id?). Remove the node ' +
          'from the cluster and let it rejoin under a new id',
      );
    }
    this.committed = index;
    return true;
  }

  /** Entries not yet durable. */
  unstableEntries(): Entry[] {
    return this.#entries.slice(this.stable - this.#snapshot.index);
  }

  /** Marks entries up to (`index`, `term`) durable, unless they were replaced meanwhile. */
  stableTo(index: number, term: number): void {
    if (index > this.stable && this.matchTerm(index, term)) this.stable = index;
  }

  /** Committed entries not yet handed out for applying. */
  committedToHandOut(maxBytes: number): Entry[] {
    if (this.handedOut >= this.committed) return [];
    return this.slice(this.handedOut + 1, this.committed + 1, maxBytes);
  }

  /**
   * Replaces the whole log with a snapshot received from the leader.
   * @returns false (and changes nothing) when our log already covers the snapshot.
   */
  restore(snapshot: Snapshot): boolean {
    const { index, term } = snapshot.meta;
    if (index <= this.committed) return false;
    if (this.matchTerm(index, term)) {
      // Our log already holds the snapshot's last entry: keep the log, just learn the commit.
      this.commitTo(index);
      return false;
    }
    this.#snapshot = { index, term };
    this.#entries = [];
    this.committed = index;
    this.stable = index;
    // The snapshot is applied before any committed entry that follows it.
    this.handedOut = Math.max(this.handedOut, index);
    this.pendingSnapshot = snapshot;
    return true;
  }

  /** The runtime persisted and applied the pending snapshot. */
  snapshotApplied(meta: SnapshotMeta): void {
    if (this.pendingSnapshot?.meta.index === meta.index) this.pendingSnapshot = undefined;
    this.stable = Math.max(this.stable, meta.index);
    this.handedOut = Math.max(this.handedOut, meta.index);
    this.applied = Math.max(this.applied, meta.index);
  }

  /** Drops entries up to `index`, which a locally taken snapshot covers. */
  compact(index: number): void {
    if (index <= this.#snapshot.index) return;
    if (index > this.applied) {
      throw new RangeError(`cannot compact to ${index}: only entries up to ${this.applied} are applied; snapshot applied state only`);
    }
    const term = this.term(index)!;
    this.#entries = this.#entries.slice(index - this.#snapshot.index);
    this.#snapshot = { index, term };
  }
}
