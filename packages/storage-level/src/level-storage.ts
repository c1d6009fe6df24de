import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredLog, StoredSnapshot } from '@raft/core';
import { openDb, type Db, type Op } from './db.js';
import { markInUse, newestLog, syncDirectory, wasInUse } from './directory.js';
import { StorageFailedError } from './errors.js';
import { entryKey, isMetaKey, metaKey } from './keys.js';
import { encodeEntry, encodeHardState, encodeIndex, encodeSnapshot, type SnapshotRecord } from './records.js';
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
  /** The writes, listed when the batch is built (in call order). */
  readonly ops: () => Op[];
  /** Whether the write stores a record (see `#commit`). */
  readonly stores: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * A durable {@link Storage} over LevelDB (through classic-level), a log-structured key-value
 * engine: every `save()` is one atomic LevelDB write batch — one record appended to LevelDB's log
 * and one fdatasync — before it resolves, so entries and hard state land together or not at all.
 * Writes that arrive while a batch is being written share the next one. See the package README for
 * the layout.
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

  private constructor(
    /** The data directory (absolute). */
    readonly dir: string,
    private readonly db: Db,
    chunkBytes: number,
    inUse: boolean,
  ) {
    this.#snapshots = new SnapshotChunks(db, dir, chunkBytes);
    this.#inUse = inUse;
  }

  /**
   * Opens (creating if needed) the data directory `dir`, taking LevelDB's lock on it. LevelDB's
   * log is checked before LevelDB replays it; the records are checked in {@link LevelStorage.load}.
   *
   * @throws DirectoryLockedError if another process (or another LevelStorage in this one) has it open.
   * @throws StorageCorruptionError if LevelDB's files are damaged, or `CURRENT` is missing in a
   *   directory that was in use.
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
    return new LevelStorage(absolute, db, chunkBytes, inUse);
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
    const recovered = await recover(this.db, this.dir, this.#inUse);
    const generation = recovered.snapshot?.generation ?? 0;
    if (this.#snapshots.hasOthers(generation)) {
      await this.#commit('removing snapshot chunks left by a crash', () => this.#snapshots.removeAllBut(generation), false);
    }
    const { log, hardState, snapshot, firstStored } = recovered;
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
    const replacedUpTo = s.log.lastIndex;
    // Entries are immutable (see Entry), so the log keeps the caller's objects, not copies.
    s.log.append(entries);
    if (hardState) s.hardState = hardState;
    const last = s.log.lastIndex;
    const ops: Op[] = entries.map((e) => ({ type: 'put', key: entryKey(e.index), value: encodeEntry(e) }));
    // A conflicting suffix longer than the new entries: its tail is overwritten by nothing.
    ops.push(...removeEntries(last + 1, replacedUpTo));
    if (entries.length > 0) ops.push(put('lastIndex', encodeIndex(last)));
    if (hardState) ops.push(put('hardState', encodeHardState(hardState)));
    await this.#commit('saving entries and hard state', () => ops);
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
    await this.#commit('saving a snapshot', () => this.#putSnapshot(record));
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
    const from = s.firstStored;
    s.firstStored = index + 1;
    await this.#commit('compacting the log', () => [...removeEntries(from, index), put('firstIndex', encodeIndex(index + 1))]);
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
    const [from, to] = [s.firstStored, s.log.lastIndex];
    s.log.reset(index, term);
    s.snapshot = record;
    s.firstStored = index + 1;
    await this.#commit('replacing the log with a snapshot', () => [
      ...this.#putSnapshot(record),
      ...removeEntries(from, to),
      put('firstIndex', encodeIndex(index + 1)),
      put('lastIndex', encodeIndex(index)),
    ]);
  }

  /** Points the snapshot record at `record`'s chunks and drops every other generation's. */
  #putSnapshot(record: SnapshotRecord): Op[] {
    return [put('snapshot', encodeSnapshot(record)), ...this.#snapshots.removeAllBut(record.generation)];
  }

  /**
   * Writes `ops` in one synced LevelDB batch and resolves once it is durable. Group commit: writes
   * that arrive while a batch is being written wait and then share the next one (one log record and
   * one fdatasync for all of them), in call order. A failure leaves memory ahead of the disk, so it
   * also fails every later call. The first write that `stores` a record (every write but the
   * removal of orphan chunks) marks the directory as in use before it resolves: from then on an
   * empty database there is damage (see recover.ts).
   */
  #commit(action: string, ops: () => Op[], stores = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ action, ops, stores, resolve, reject });
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
   * Writes the operations of `batch` as one synced LevelDB batch. A meta record (last index, hard
   * state, …) written by several of them is written once, with its last value: concurrent saves
   * each set the last index, and every operation costs classic-level a few microseconds.
   */
  async #write(batch: readonly PendingWrite[]): Promise<void> {
    // A chained batch: classic-level's array form costs about twice as much per operation.
    const write = this.db.batch();
    const meta = new Map<string, Buffer>();
    for (const pending of batch) {
      for (const op of pending.ops()) {
        if (op.type === 'del') write.del(op.key);
        else if (isMetaKey(op.key)) meta.set(op.key.toString('latin1'), op.value);
        else write.put(op.key, op.value);
      }
    }
    // Meta keys are only ever put, never removed, so writing them after the rest changes nothing.
    for (const [key, value] of meta) write.put(Buffer.from(key, 'latin1'), value);
    await write.write({ sync: true });
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

function put(key: 'hardState' | 'firstIndex' | 'lastIndex' | 'snapshot', value: Buffer): Op {
  return { type: 'put', key: metaKey(key), value };
}

/** The removal of the entries `from..to` (inclusive). */
function removeEntries(from: number, to: number): Op[] {
  const ops: Op[] = [];
  for (let index = from; index <= to; index++) ops.push({ type: 'del', key: entryKey(index) });
  return ops;
}

function closedError(): Error {
  return new Error('this LevelStorage is closed; open the directory again to use it');
}

function checkNotOlder(meta: SnapshotMeta, current: number): void {
  if (meta.index < current) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored snapshot at ${current}; it would lose applied state`);
  }
}
