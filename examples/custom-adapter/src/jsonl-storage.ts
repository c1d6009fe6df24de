import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { StoredLog, type Entry, type HardState, type PersistedState, type SnapshotMeta, type Storage, type StoredSnapshot } from '@raft/core';
import { StorageCorruptionError } from '@raft/storage-kit';
import { encodeRecord, entriesOf, openForAppend, recordOf, recoverLog, rewriteLog, type LogRecord } from './log-file.js';
import { loadSnapshot, writeSnapshot } from './snapshot-file.js';

const NEW_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

/**
 * A {@link Storage} over two plain files in a directory, written against the public contract only:
 * `log.jsonl` (one checksummed JSON line per write, appended and fdatasync'd; see `log-file.ts`)
 * and `snapshot` (see `snapshot-file.ts`). The entries after the snapshot are kept in a
 * `StoredLog` from `@raft/core`, which answers `entries`/`term` and raises the contract's errors;
 * the files are written around it.
 *
 * - Every write resolves once `fdatasync` returned (and, for a new or renamed file, once the
 *   directory was fsync'd).
 * - Writes are applied one after another, in call order.
 * - A write that fails leaves the storage failed: every later call rejects, because the file's
 *   state is unknown; reopening recovers what was durable.
 * - `compact` and `installSnapshot` rewrite the log file (a new file, renamed into place), so disk
 *   use follows the log since the snapshot.
 *
 * Not done, to stay small: a directory lock (never open one directory from two processes), and
 * group commit (one fdatasync per `save`).
 */
export class JsonlStorage implements Storage {
  private log = new StoredLog(0, 0, []);
  private hardState: HardState = NEW_HARD_STATE;
  private snapshot: StoredSnapshot | undefined;
  private file: FileHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private state: 'new' | 'open' | 'failed' | 'closed' = 'new';
  /** While loading: the install announced by the last record of the log file, if it was one. */
  private installing: LogRecord['i'];
  private failure: Error | undefined;
  #tornBytes = 0;

  private constructor(readonly dir: string) {}

  /** A storage over `dir`, created if missing. Call `load()` before anything else. */
  static async open(dir: string): Promise<JsonlStorage> {
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    return new JsonlStorage(absolute);
  }

  /** Bytes `load()` cut off the end of the log: a write torn by a crash (worth logging). */
  get tornBytes(): number {
    return this.#tornBytes;
  }

  async load(): Promise<PersistedState> {
    if (this.state !== 'new') throw new Error('load() is called once, right after open()');
    const snapshot = await loadSnapshot(this.dir);
    const { records, tornBytes } = await recoverLog(this.dir);
    this.#tornBytes = tornBytes;
    for (const record of records) this.replay(record);
    this.fitToSnapshot(snapshot?.meta);
    this.snapshot = snapshot;
    this.file = await openForAppend(this.dir);
    this.state = 'open';
    return { hardState: this.hardState, snapshot: snapshot?.meta, entries: [...this.log.all()] };
  }

  save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void> {
    return this.write(async () => {
      const entries = update.entries ?? [];
      this.log.checkAppend(entries); // RangeError before anything is written
      if (entries.length === 0 && !update.hardState) return;
      await this.append(recordOf(update));
      this.log.append(entries);
      if (update.hardState) this.hardState = { ...update.hardState };
    });
  }

  async entries(lo: number, hi: number): Promise<Entry[]> {
    this.checkOpen();
    return this.log.slice(lo, hi);
  }

  async term(index: number): Promise<number> {
    this.checkOpen();
    return this.log.term(index);
  }

  async firstIndex(): Promise<number> {
    this.checkOpen();
    return this.log.firstIndex;
  }

  async lastIndex(): Promise<number> {
    this.checkOpen();
    return this.log.lastIndex;
  }

  saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    return this.write(async () => {
      this.snapshot = await writeSnapshot(this.dir, meta, data);
      // Reads at or below the snapshot answer CompactedError from now on; the file keeps the
      // entries until compact() rewrites it.
      this.log.compactTo(meta.index, meta.term);
    });
  }

  installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    return this.write(async () => {
      await this.append({ i: [meta.index, meta.term] });
      this.snapshot = await writeSnapshot(this.dir, meta, data);
      // A crash right here leaves the old log, ending with the record above, beside the new
      // snapshot; load() then replaces the log by the snapshot.
      await this.rewrite(meta.index, meta.term, []);
      this.log.reset(meta.index, meta.term);
    });
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    this.checkOpen();
    return this.snapshot;
  }

  compact(index: number): Promise<void> {
    return this.write(async () => {
      const snapshotIndex = this.snapshot?.meta.index ?? 0;
      if (index > snapshotIndex) throw new RangeError(`compact(${index}): past the snapshot index ${snapshotIndex}`);
      const meta = this.snapshot?.meta;
      if (meta && this.log.snapshotIndex === meta.index) await this.rewrite(meta.index, meta.term, this.log.all());
    });
  }

  /** Closes the log file once the writes already called are done; every later call rejects. */
  close(): Promise<void> {
    const closing = this.queue.then(async () => {
      this.state = 'closed';
      const file = this.file;
      this.file = undefined;
      await file?.close();
    });
    this.queue = closing.catch(() => {});
    return closing;
  }

  /** Runs `work` after every earlier write; a failure fails the storage for good. */
  private write(work: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      this.checkOpen();
      try {
        await work();
      } catch (error) {
        // A system error (EIO, ENOSPC…) leaves the files in an unknown state. Anything else — a
        // RangeError for a bad call, a snapshot stream that failed — was caught before the files
        // changed (a failed snapshot only leaves a temporary file behind).
        if (typeof (error as { code?: unknown }).code === 'string') {
          this.state = 'failed';
          this.failure = error as Error;
        }
        throw error;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private checkOpen(): void {
    if (this.state === 'open') return;
    if (this.state === 'failed') throw new Error(`the storage in ${this.dir} failed (${this.failure?.message}); reopen it to recover`);
    throw new Error(this.state === 'closed' ? `the storage in ${this.dir} is closed` : 'call load() first');
  }

  private async append(record: LogRecord): Promise<void> {
    await this.file!.write(encodeRecord(record));
    await this.file!.datasync();
  }

  /** Replaces the log file by one record: restart after (`index`, `term`), `entries`, the hard state. */
  private async rewrite(index: number, term: number, entries: readonly Entry[]): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    this.file = await rewriteLog(this.dir, recordOf({ entries, hardState: this.hardState }, [index, term]));
  }

  private replay(record: LogRecord): void {
    this.installing = record.i;
    if (record.r) this.log.reset(record.r[0], record.r[1]);
    const entries = entriesOf(record);
    try {
      this.log.checkAppend(entries);
    } catch (error) {
      throw new StorageCorruptionError(`${this.dir}/log.jsonl`, undefined, `a record does not continue the log: ${(error as Error).message}`);
    }
    this.log.append(entries);
    if (record.h) this.hardState = { term: record.h[0], vote: record.h[1], commit: record.h[2] };
  }

  /** Drops what the snapshot covers; a log that disagrees with the snapshot is replaced by it. */
  private fitToSnapshot(meta: SnapshotMeta | undefined): void {
    const start = this.log.snapshotIndex;
    if (meta === undefined) {
      if (start > 0) throw new StorageCorruptionError(this.dir, undefined, `the log starts after index ${start}, but the snapshot that covers it is missing`);
      return;
    }
    if (meta.index < start) throw new StorageCorruptionError(this.dir, undefined, `the snapshot (index ${meta.index}) is older than the start of the log (${start})`);
    if (meta.index <= this.log.lastIndex && this.log.term(meta.index) === meta.term) {
      this.log.compactTo(meta.index, meta.term);
    } else if (this.installing?.[0] === meta.index && this.installing[1] === meta.term) {
      this.log.reset(meta.index, meta.term); // a crash between installing a snapshot and rewriting the log
    } else {
      throw new StorageCorruptionError(
        `${this.dir}/log.jsonl`,
        undefined,
        `the log ends at index ${this.log.lastIndex} (or disagrees with the snapshot at ${meta.index}), and no install of that snapshot was under way: records are missing`,
      );
    }
  }
}
