import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredLog, StoredSnapshot } from '@raft/core';
import { checked } from './checked.js';
import { checkDataFile, markInUse } from './data-file.js';
import { StorageFailedError } from './errors.js';
import { claimDirectory, releaseDirectory } from './owner.js';
import { encodeEntry, encodeHardState, encodeIndex, encodeSnapshot, type SnapshotRecord } from './records.js';
import { recover } from './recover.js';
import { SnapshotChunks } from './snapshot-chunks.js';
import { openTables, type Tables } from './tables.js';

/** Options of {@link LmdbStorage.open}. */
export interface LmdbStorageOptions {
  /**
   * Snapshot data is stored in values of at most this many bytes, each written in its own commit
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
  /** First index of the entries table: entries the snapshot covers stay until `compact()`. */
  firstStored: number;
}

/**
 * A durable {@link Storage} over LMDB, a transactional, memory-mapped key-value engine: every
 * `save()` is one LMDB transaction, fdatasync'd before it resolves, so entries and hard state land
 * together or not at all. Writes issued in the same event-loop turn share a commit. See the package
 * README for the layout.
 *
 * @example
 * ```ts
 * const storage = await LmdbStorage.open('/var/lib/raft/node-1');
 * const { hardState, snapshot, entries } = await storage.load();
 * ```
 */
export class LmdbStorage implements Storage {
  #state: Loaded | undefined;
  #closed = false;
  /** Set when a commit failed: memory is then ahead of the disk, so nothing else may run. */
  #failure: StorageFailedError | undefined;
  /** Writes waiting for the next group commit. */
  readonly #pending: { action: string; write: () => void; resolve(): void; reject(error: unknown): void }[] = [];
  #flushing = false;
  readonly #snapshots: SnapshotChunks;

  private constructor(
    /** The data directory (absolute). */
    readonly dir: string,
    private readonly tables: Tables,
    chunkBytes: number,
  ) {
    this.#snapshots = new SnapshotChunks(tables, dir, chunkBytes);
  }

  /**
   * Opens (creating if needed) the data directory `dir` and claims it for this process. Recovery
   * happens in {@link LmdbStorage.load}.
   *
   * @throws DirectoryLockedError if another live process (or another LmdbStorage in this one) has it open.
   * @throws StorageCorruptionError if `data.mdb` is missing or cut short in a directory that was in use.
   * @throws StorageFailedError if LMDB cannot open it.
   */
  static async open(dir: string, options: LmdbStorageOptions = {}): Promise<LmdbStorage> {
    const chunkBytes = options.snapshotChunkBytes ?? DEFAULT_CHUNK_BYTES;
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) {
      throw new RangeError(`LmdbStorage: snapshotChunkBytes must be a positive integer, got ${chunkBytes}`);
    }
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    await checkDataFile(absolute);
    const tables = openTables(absolute);
    try {
      checked(absolute, 'owner record', () => claimDirectory(tables, absolute));
    } catch (e) {
      await tables.root.close();
      throw e;
    }
    const storage = new LmdbStorage(absolute, tables, chunkBytes);
    try {
      // Only now are LMDB's meta pages durable (the claim's commit synced them).
      await markInUse(absolute);
    } catch (e) {
      await storage.close();
      throw e;
    }
    return storage;
  }

  /**
   * Reads the directory back, checking every record, and removes snapshot chunks a crash left
   * behind.
   *
   * @throws StorageCorruptionError naming the damaged record.
   */
  async load(): Promise<PersistedState> {
    if (this.#closed) throw closedError();
    if (this.#state) throw new Error('LmdbStorage.load() was already called; it is called once, when the node starts');
    const recovered = recover(this.tables, this.dir);
    const generation = recovered.snapshot?.generation ?? 0;
    if (this.#snapshots.hasOthers(generation)) await this.#commit('removing snapshot chunks left by a crash', () => this.#snapshots.removeAllBut(generation));
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
    const values = entries.map(encodeEntry);
    const last = s.log.lastIndex;
    await this.#commit('saving entries and hard state', () => {
      entries.forEach((e, i) => this.tables.entries.putSync(e.index, values[i]!));
      // A conflicting suffix longer than the new entries: its tail is overwritten by nothing.
      this.#removeEntries(last + 1, replacedUpTo);
      if (entries.length > 0) this.tables.meta.putSync('lastIndex', encodeIndex(last));
      if (hardState) this.tables.meta.putSync('hardState', encodeHardState(hardState));
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
    await this.#commit('compacting the log', () => {
      this.#removeEntries(from, index);
      this.tables.meta.putSync('firstIndex', encodeIndex(index + 1));
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#state = undefined;
    // The environment closes even if giving up the claim failed: a leaked handle would keep the
    // files mapped, and a stale claim is taken over by the next open.
    try {
      await releaseDirectory(this.tables, this.dir, this.#failure === undefined);
    } finally {
      await this.tables.root.close();
    }
  }

  /** Makes `record` the snapshot and empties the log, which continues after it: one commit. */
  async #replaceLog(s: Loaded, record: SnapshotRecord): Promise<void> {
    const { index, term } = record.meta;
    const [from, to] = [s.firstStored, s.log.lastIndex];
    s.log.reset(index, term);
    s.snapshot = record;
    s.firstStored = index + 1;
    await this.#commit('replacing the log with a snapshot', () => {
      this.#putSnapshot(record);
      this.#removeEntries(from, to);
      this.tables.meta.putSync('firstIndex', encodeIndex(index + 1));
      this.tables.meta.putSync('lastIndex', encodeIndex(index));
    });
  }

  /** Points the snapshot record at `record`'s chunks and drops every other generation's. In a transaction. */
  #putSnapshot(record: SnapshotRecord): void {
    this.tables.meta.putSync('snapshot', encodeSnapshot(record));
    this.#snapshots.removeAllBut(record.generation);
  }

  /** Removes the entries `from..to` (inclusive). In a transaction. */
  #removeEntries(from: number, to: number): void {
    for (let index = from; index <= to; index++) this.tables.entries.removeSync(index);
  }

  /**
   * Runs `write` in an LMDB transaction and resolves once it is durable. Group commit: writes that
   * arrive while a transaction is committing wait and then share the next one (one fdatasync for
   * all of them), in call order. A failure leaves memory ahead of the disk, so it also fails every
   * later call.
   */
  #commit(action: string, write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ action, write, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0);
      try {
        await this.tables.root.transaction(() => {
          for (const pending of batch) pending.write();
        });
        for (const pending of batch) pending.resolve();
      } catch (e) {
        this.#failure ??= new StorageFailedError(this.dir, batch[0]!.action, e);
        for (const pending of batch) pending.reject(this.#failure);
      }
    }
    this.#flushing = false;
  }

  #loaded(): Loaded {
    if (this.#closed) throw closedError();
    if (!this.#state) throw new Error('LmdbStorage: call load() before any other method');
    return this.#state;
  }

  #writable(): Loaded {
    const s = this.#loaded();
    if (this.#failure) throw this.#failure;
    return s;
  }
}

function closedError(): Error {
  return new Error('this LmdbStorage is closed; open the directory again to use it');
}

function checkNotOlder(meta: SnapshotMeta, current: number): void {
  if (meta.index < current) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored snapshot at ${current}; it would lose applied state`);
  }
}
