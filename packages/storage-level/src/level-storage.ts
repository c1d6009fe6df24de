import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredLog, StoredSnapshot } from '@raft/core';
import { BatchBuilder, LogRecords } from './batch.js';
import { openDb, type Db } from './db.js';
import { markInUse, newestLog, syncDirectory, wasInUse } from './directory.js';
import { StorageFailedError } from './errors.js';
import { checkFormat } from './format.js';
import { FORMAT_VERSION, encodeFormat, encodeHardState, encodeIndex, encodeSnapshot, type SnapshotRecord } from './records.js';
import { recover } from './recover.js';
import { SnapshotChunks } from './snapshot-chunks.js';
import { checkLogs } from './wal-check.js';

/** Options of {@link LevelStorage.open}. */
export interface LevelStorageOptions {
  /**
   * Snapshot data is stored in values of at most this many bytes, each a synced write of its own
   * as the data streams in. Default 1 MiB.
   */
  readonly snapshotChunkBytes?: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/** Everything that exists only between `load()` and `close()`. */
interface Loaded {
  /** The entries after the snapshot, mirrored in memory so reads never wait. */
  readonly log: StoredLog;
  hardState: HardState;
  snapshot: SnapshotRecord | undefined;
  /** First index stored: entries the snapshot covers stay until `compact()`. */
  firstStored: number;
}

interface PendingWrite {
  readonly action: string;
  /** Adds the writes to the batch; called when the batch is built, in call order. */
  readonly build: (batch: BatchBuilder) => void;
  /** Whether the write stores a record (see `#commit`). */
  readonly stores: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A durable {@link Storage} over LevelDB (through classic-level), a log-structured key-value
 * engine: every `save()` is one atomic LevelDB write batch — one record appended to LevelDB's log
 * and one fdatasync — before it resolves, so entries and hard state land together or not at all.
 * Writes that arrive while a batch is being written share the next one, and the entries of that
 * group commit are stored as one value. See the package README for the layout.
 *
 * @example
 * ```ts
 * const storage = await LevelStorage.open('/var/lib/raft/node-1');
 * const { hardState, snapshot, entries } = await storage.load();
 * ```
 */
export class LevelStorage implements Storage {
  #state: Loaded | undefined;
  #closed = false;
  /** Set when a write failed: memory is then ahead of the disk, so nothing else may run. */
  #failure: StorageFailedError | undefined;
  /** Writes waiting for the next group commit. */
  readonly #pending: PendingWrite[] = [];
  /** The running flush loop, if any. */
  #flushing: Promise<void> | undefined;
  readonly #snapshots: SnapshotChunks;
  /** Whether the directory holds an acknowledged write (its marker file exists). */
  #inUse: boolean;
  /** The newest LevelDB log file whose name is known to be durable. */
  #syncedLog: string | undefined;
  /** Whether the database holds the format record (the first write that stores anything adds it). */
  #formatStored: boolean;
  /**
   * The log records stored, one per group commit that saved entries: read by `load()`, updated as
   * batches are built (writes issued before `close()` still use it while they finish).
   */
  #records = new LogRecords();

  private constructor(
    /** The data directory (absolute). */
    readonly dir: string,
    private readonly db: Db,
    chunkBytes: number,
    inUse: boolean,
    formatStored: boolean,
  ) {
    this.#snapshots = new SnapshotChunks(db, dir, chunkBytes);
    this.#inUse = inUse;
    this.#formatStored = formatStored;
  }

  /**
   * Opens (creating if needed) the data directory `dir`, taking LevelDB's lock on it. LevelDB's
   * log is checked before LevelDB replays it; the records are checked in {@link LevelStorage.load}.
   *
   * @throws DirectoryLockedError if another process (or another LevelStorage in this one) has it open.
   * @throws StorageCorruptionError if LevelDB's files are damaged, or `CURRENT` is missing in a
   *   directory that was in use.
   * @throws StorageFormatError if the directory holds another on-disk format (another version of
   *   this package wrote it).
   * @throws StorageFailedError if LevelDB cannot open it.
   */
  static async open(dir: string, options: LevelStorageOptions = {}): Promise<LevelStorage> {
    const chunkBytes = options.snapshotChunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      throw new RangeError(`LevelStorage: snapshotChunkBytes must be a positive integer, got ${chunkBytes}`);
    }
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    const inUse = await wasInUse(absolute);
    await checkLogs(absolute);
    const db = await openDb(absolute, !inUse);
    let formatStored: boolean;
    try {
      formatStored = await checkFormat(db, absolute);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new LevelStorage(absolute, db, chunkBytes, inUse, formatStored);
  }

  /**
   * Reads the directory back, checking every record, and removes snapshot chunks a crash left
   * behind.
   *
   * @throws StorageCorruptionError naming the damaged record.
   */
  async load(): Promise<PersistedState> {
    if (this.#closed) throw closedError();
    if (this.#state) throw new Error('LevelStorage.load() was already called; it is called once, when the node starts');
    await this.#snapshots.scan();
    const recovered = await recover(this.db, this.dir, this.#inUse, this.#formatStored);
    const generation = recovered.snapshot?.generation ?? 0;
    if (this.#snapshots.hasOthers(generation)) {
      await this.#commit('removing snapshot chunks left by a crash', (b) => b.ops(this.#snapshots.removeAllBut(generation)), false);
    }
    const { log, hardState, snapshot, firstStored, records } = recovered;
    this.#records = records;
    this.#state = { log, hardState, snapshot, firstStored };
    return { hardState, snapshot: snapshot?.meta, entries: [...log.all()] };
  }

  async save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void> {
    // Everything up to the commit runs synchronously, so concurrent callers are ordered by call.
    const s = this.#writable();
    const entries = update.entries ?? [];
    const { hardState } = update;
    if (entries.length === 0 && !hardState) return;
    s.log.checkAppend(entries);
    // Entries are immutable (see Entry), so the log keeps the caller's objects, not copies, and
    // the batch encodes them when it is built.
    s.log.append(entries);
    if (hardState) s.hardState = hardState;
    const last = s.log.lastIndex;
    // Copied now: the batch is built later, and the caller may reuse its array or object.
    const appended = entries.slice();
    const saved = hardState && { term: hardState.term, vote: hardState.vote, commit: hardState.commit };
    await this.#commit('saving entries and hard state', (b) => {
      if (appended.length > 0) {
        // The record starting at appended[0] supersedes any conflicting suffix, however long.
        b.append(appended);
        b.meta('lastIndex', () => encodeIndex(last));
      }
      if (saved) b.meta('hardState', () => encodeHardState(saved));
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
    const record = { meta, ...(await this.#snapshots.stage(data, s.snapshot?.generation ?? 0)) };
    // Past the end of the log nothing is left to keep: the log continues after the snapshot.
    if (meta.index > s.log.lastIndex) return this.#replaceLog(s, record);
    s.log.compactTo(meta.index, meta.term);
    s.snapshot = record;
    await this.#commit('saving a snapshot', (b) => this.#putSnapshot(b, record));
  }

  async installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const s = this.#writable();
    checkNotOlder(meta, s.log.snapshotIndex);
    await this.#replaceLog(s, { meta, ...(await this.#snapshots.stage(data, s.snapshot?.generation ?? 0)) });
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    const s = this.#loaded();
    const record = s.snapshot;
    if (!record) return undefined;
    const gone = (): string | undefined => {
      if (this.#closed) return 'the storage is closed';
      return s.snapshot === record ? undefined : `it was replaced by snapshot ${s.snapshot?.meta.index}; call readSnapshot() again`;
    };
    return { meta: record.meta, size: record.size, read: () => this.#snapshots.read(record, gone) };
  }

  async compact(index: number): Promise<void> {
    const s = this.#writable();
    if (index > s.log.snapshotIndex) {
      throw new RangeError(`compact(${index}): only entries covered by the snapshot (up to ${s.log.snapshotIndex}) can be compacted; save a snapshot first`);
    }
    if (index < s.firstStored) return;
    s.firstStored = index + 1;
    await this.#commit('compacting the log', (b) => {
      // A record holding entries on both sides of `index` stays; recovery skips its first part.
      b.removeRecordsThrough(index);
      b.meta('firstIndex', () => encodeIndex(index + 1));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = undefined;
    // Writes already issued finish first; their callers are waiting for them.
    await this.#flushing;
    await this.db.close();
  }

  /** Makes `record` the snapshot and empties the log, which continues after it: one batch. */
  async #replaceLog(s: Loaded, record: SnapshotRecord): Promise<void> {
    const { index, term } = record.meta;
    s.log.reset(index, term);
    s.snapshot = record;
    s.firstStored = index + 1;
    await this.#commit('replacing the log with a snapshot', (b) => {
      this.#putSnapshot(b, record);
      b.removeAllRecords();
      b.meta('firstIndex', () => encodeIndex(index + 1));
      b.meta('lastIndex', () => encodeIndex(index));
    });
  }

  /** Points the snapshot record at `record`'s chunks and drops every other generation's. */
  #putSnapshot(b: BatchBuilder, record: SnapshotRecord): void {
    b.meta('snapshot', () => encodeSnapshot(record));
    b.ops(this.#snapshots.removeAllBut(record.generation));
  }

  /**
   * Writes what `build` adds in one synced LevelDB batch and resolves once it is durable. Group commit: writes
   * that arrive while a batch is being written wait and then share the next one (one log record and
   * one fdatasync for all of them), in call order. A failure leaves memory ahead of the disk, so it
   * also fails every later call. The first write that `stores` a record (every write but the
   * removal of orphan chunks) marks the directory as in use before it resolves: from then on an
   * empty database there is damage (see recover.ts).
   */
  #commit(action: string, build: (batch: BatchBuilder) => void, stores = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ action, build, stores, resolve, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        if (this.#failure) throw this.#failure;
        await this.#write(batch);
        // LevelDB starts a new log file every few MiB and fdatasyncs it, but makes its name durable
        // only when it next syncs its manifest, after the old log's data is in a table file. Until
        // then a power cut could lose the new file with the writes in it on a filesystem that does
        // not persist a new file's name with its data, so the name is made durable here.
        const log = newestLog(this.dir);
        if (log !== this.#syncedLog) {
          await syncDirectory(this.dir);
          this.#syncedLog = log;
        }
        if (!this.#inUse && batch.some((pending) => pending.stores)) {
          await markInUse(this.dir);
          this.#inUse = true;
        }
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

  /**
   * Writes `batch` as one synced LevelDB batch: the entries its saves append become one log record
   * (see {@link BatchBuilder}), and a meta record several of them set is written once, with its
   * last value. The first batch that stores anything also stores the format record.
   */
  async #write(batch: readonly PendingWrite[]): Promise<void> {
    // A chained batch: classic-level's array form costs about twice as much per operation.
    const write = this.db.batch();
    const builder = new BatchBuilder(write, this.#records);
    for (const pending of batch) pending.build(builder);
    const addsFormat = !this.#formatStored && batch.some((pending) => pending.stores);
    if (addsFormat) builder.meta('format', () => encodeFormat(FORMAT_VERSION));
    builder.finish();
    await write.write({ sync: true });
    if (addsFormat) this.#formatStored = true;
  }

  #loaded(): Loaded {
    if (this.#closed) throw closedError();
    if (!this.#state) throw new Error('LevelStorage: call load() before any other method');
    return this.#state;
  }

  #writable(): Loaded {
    const s = this.#loaded();
    if (this.#failure) throw this.#failure;
    return s;
  }
}

function closedError(): Error {
  return new Error('this LevelStorage is closed; open the directory again to use it');
}

function checkNotOlder(meta: SnapshotMeta, current: number): void {
  if (meta.index < current) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored snapshot at ${current}; it would lose applied state`);
  }
}
