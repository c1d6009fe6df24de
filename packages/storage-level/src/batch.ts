import type { Entry } from '@raft/core';
import type { Op } from './db.js';
import { metaKey, recordKey, type MetaKey } from './keys.js';
import { encodeRecord } from './records.js';

/** Where a LevelDB write batch's operations go (classic-level's chained batch). */
export interface BatchSink {
  put(key: Buffer, value: Buffer): unknown;
  del(key: Buffer): unknown;
}

/**
 * The log records stored (or being written), as `[first, last]` index ranges in key order. A record
 * holds the entries of one group commit; a later record starting at index i supersedes the entries
 * ≥ i of the records before it, so `last` here is the last index still in effect. Kept in memory so
 * that a write can list the keys to remove without reading the database.
 */
export class LogRecords {
  readonly #firsts: number[] = [];
  readonly #lasts: number[] = [];

  /** Adds a record read by recovery (records arrive in key order). */
  recovered(first: number, last: number): void {
    this.#supersede(first, () => undefined);
    this.#firsts.push(first);
    this.#lasts.push(last);
  }

  /**
   * Adds the record `[first, last]`: records starting at or after `first` are removed (but for
   * one starting exactly there, which the new record's put replaces), and the one before it is
   * cut short at `first - 1`.
   */
  add(first: number, last: number, sink: BatchSink): void {
    this.#supersede(first, (key) => sink.del(key));
    this.#firsts.push(first);
    this.#lasts.push(last);
  }

  #supersede(first: number, del: (key: Buffer) => void): void {
    while (this.#firsts.length > 0 && this.#firsts[this.#firsts.length - 1]! >= first) {
      const stored = this.#firsts.pop()!;
      this.#lasts.pop();
      if (stored !== first) del(recordKey(stored));
    }
    const before = this.#lasts.length - 1;
    if (before >= 0 && this.#lasts[before]! >= first) this.#lasts[before] = first - 1;
  }

  /** Removes every record whose entries in effect all lie at or below `index`. */
  removeThrough(index: number, sink: BatchSink): void {
    let n = 0;
    while (n < this.#firsts.length && this.#lasts[n]! <= index) sink.del(recordKey(this.#firsts[n++]!));
    this.#firsts.splice(0, n);
    this.#lasts.splice(0, n);
  }

  /** Removes every record. */
  removeAll(sink: BatchSink): void {
    for (const first of this.#firsts) sink.del(recordKey(first));
    this.#firsts.length = 0;
    this.#lasts.length = 0;
  }
}

/**
 * Builds one LevelDB write batch from the writes of a group commit, in call order. Consecutive
 * saves' entries become one log record (a save that conflicts with entries earlier in the same
 * batch cuts them short first), so a group commit costs a few LevelDB operations however many
 * entries it holds. A meta record written by several writes is written once, with its last value.
 */
export class BatchBuilder {
  /** Entries appended since the last record was emitted, from `runFirst` on. */
  #run: Entry[] = [];
  #runFirst = 0;
  readonly #meta = new Map<MetaKey, () => Buffer>();

  constructor(
    private readonly sink: BatchSink,
    private readonly records: LogRecords,
  ) {}

  /** Appends checked entries (at least one), replacing any entries from the first one's index on. */
  append(entries: readonly Entry[]): void {
    const first = entries[0]!.index;
    if (this.#run.length === 0 || first <= this.#runFirst) {
      this.#run = [];
      this.#runFirst = first;
    } else if (first - this.#runFirst < this.#run.length) {
      // A conflict with entries earlier in this batch (first ≤ the run's last index + 1, as the
      // log checked): cut the run short at first - 1.
      this.#run.length = first - this.#runFirst;
    }
    for (const entry of entries) this.#run.push(entry);
  }

  /** Sets a meta record; `encode` is called once, for the last value set, when the batch is finished. */
  meta(name: MetaKey, encode: () => Buffer): void {
    this.#meta.set(name, encode);
  }

  /** Removes every log record whose entries all lie at or below `index` (after any pending entries). */
  removeRecordsThrough(index: number): void {
    this.#emit();
    this.records.removeThrough(index, this.sink);
  }

  /** Removes every log record, and any entries pending. */
  removeAllRecords(): void {
    this.#run = [];
    this.records.removeAll(this.sink);
  }

  /** Operations on keys that are neither log records nor meta records (snapshot chunks). */
  ops(ops: readonly Op[]): void {
    for (const op of ops) {
      if (op.type === 'del') this.sink.del(op.key);
      else this.sink.put(op.key, op.value);
    }
  }

  /** Adds the pending entries' record and the meta records to the batch. */
  finish(): void {
    this.#emit();
    // Meta keys are only ever put, never removed, so writing them last changes nothing.
    for (const [name, encode] of this.#meta) this.sink.put(metaKey(name), encode());
  }

  #emit(): void {
    if (this.#run.length === 0) return;
    const entries = this.#run;
    this.#run = [];
    this.records.add(this.#runFirst, this.#runFirst + entries.length - 1, this.sink);
    this.sink.put(recordKey(this.#runFirst), encodeRecord(entries));
  }
}
