import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredSnapshot } from '@raft/core';
import { StoredLog } from '@raft/core';
import { StorageCorruptionError } from './errors.js';
import { classify, isTempFile } from './layout.js';
import { DirectoryLock } from './lock.js';
import { encodeReset, encodeSave } from './records.js';
import { SnapshotStore } from './snapshot-store.js';
import { recoverWal, type RecoveredWal, type TornTail } from './wal-recovery.js';
import { WalWriter } from './wal-writer.js';

/** Options of {@link FileStorage.open}. */
export interface FileStorageOptions {
  /**
   * A write-ahead log segment is closed and a new one started once it reaches this many bytes.
   * Compaction deletes whole segments, so smaller segments free space sooner; larger ones mean
   * fewer files. Default 64 MiB.
   */
  readonly segmentBytes?: number;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const NEW_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

/** Everything that exists only between `load()` and `close()`. */
interface Loaded {
  readonly log: StoredLog;
  readonly wal: WalWriter;
  readonly snapshots: SnapshotStore;
  hardState: HardState;
}

/**
 * The default durable {@link Storage}: a segmented write-ahead log of checksummed frames with one
 * fdatasync per batch (group commit), plus snapshot files. See the package README for the on-disk
 * format and the recovery rules.
 *
 * @example
 * ```ts
 * const storage = await FileStorage.open('/var/lib/raft/node-1');
 * const { hardState, snapshot, entries } = await storage.load();
 * ```
 */
export class FileStorage implements Storage {
  private state: Loaded | undefined;
  private closed = false;
  private torn: TornTail | undefined;

  private constructor(
    /** The data directory (absolute). */
    readonly dir: string,
    private readonly lock: DirectoryLock,
    private readonly segmentBytes: number,
  ) {}

  /**
   * Opens (creating if needed) the data directory `dir` and locks it against other processes.
   * Recovery happens in {@link FileStorage.load}.
   *
   * @throws DirectoryLockedError if another process (or another FileStorage in this one) has it open.
   */
  static async open(dir: string, options: FileStorageOptions = {}): Promise<FileStorage> {
    const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isSafeInteger(segmentBytes) || segmentBytes < 1) {
      throw new RangeError(`FileStorage: segmentBytes must be a positive integer, got ${segmentBytes}`);
    }
    const absolute = resolve(dir);
    await mkdir(absolute, { recursive: true });
    return new FileStorage(absolute, await DirectoryLock.acquire(absolute), segmentBytes);
  }

  /**
   * Recovers the directory: validates the snapshot, replays the log, cuts off a torn tail.
   *
   * @throws StorageCorruptionError for any damage other than a torn tail, naming file and offset.
   */
  async load(): Promise<PersistedState> {
    if (this.closed) throw closedError();
    if (this.state) throw new Error('FileStorage.load() was already called; it is called once, when the node starts');
    const names = await readdir(this.dir);
    for (const name of names.filter(isTempFile)) await unlink(join(this.dir, name));
    const files = classify(this.dir, names);
    const snapshots = await SnapshotStore.load(this.dir, files.snapshots);
    const recovered = await recoverWal(files.segments);
    if (!recovered && snapshots.meta) {
      throw new StorageCorruptionError(this.dir, undefined, 'a snapshot exists but no write-ahead log segment (*.wal): the log and hard state are missing');
    }
    const fitted = recovered ? afterSnapshot(recovered, snapshots.meta) : { log: new StoredLog(0, 0, []), discarded: false };
    const { log } = fitted;
    const hardState = recovered?.hardState ?? NEW_HARD_STATE;
    const at = { lastIndex: log.lastIndex, hardState };
    // The writer starts where replay ended (a new segment's header must continue that), which is
    // not where the fitted log ends if the fit discarded the log.
    const wal = recovered
      ? await WalWriter.resume(this.dir, this.segmentBytes, recovered.segments, recovered.tailSize, {
          lastIndex: recovered.base + recovered.entries.length,
          hardState,
        })
      : await WalWriter.create(this.dir, this.segmentBytes, at);
    if (fitted.discarded) {
      // Make the discard durable, or entries appended from here on would be replayed after the old
      // log and discarded with it at the next start.
      await wal.append(encodeReset(log.snapshotIndex, log.term(log.snapshotIndex)), at);
    }
    this.state = { log, wal, snapshots, hardState };
    this.torn = recovered?.tornTail;
    return { hardState, snapshot: snapshots.meta, entries: [...log.all()] };
  }

  async save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void> {
    // Everything up to the append runs synchronously, so concurrent callers are ordered by call.
    const s = this.loaded();
    const entries = update.entries ?? [];
    if (entries.length === 0 && !update.hardState) return;
    s.log.checkAppend(entries);
    const body = encodeSave(entries, update.hardState);
    // Entries are immutable (see Entry), so the log keeps the caller's objects, not copies.
    s.log.append(entries);
    if (update.hardState) s.hardState = update.hardState;
    await s.wal.append(body, { lastIndex: s.log.lastIndex, hardState: s.hardState });
  }

  async entries(lo: number, hi: number): Promise<Entry[]> {
    return this.loaded().log.slice(lo, hi);
  }

  async term(index: number): Promise<number> {
    return this.loaded().log.term(index);
  }

  async firstIndex(): Promise<number> {
    return this.loaded().log.firstIndex;
  }

  async lastIndex(): Promise<number> {
    return this.loaded().log.lastIndex;
  }

  async saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const s = this.loaded();
    checkNotOlder(meta, s.log.snapshotIndex);
    if (meta.index <= s.log.lastIndex && s.log.term(meta.index) !== meta.term) {
      throw new RangeError(
        `saveSnapshot(): the snapshot says index ${meta.index} has term ${meta.term}, the log says ${s.log.term(meta.index)}; ` +
          'a local snapshot must match the log (use installSnapshot for a snapshot from the leader)',
      );
    }
    await s.snapshots.write(meta, data);
    // Past the end of the log, replay needs to be told where entries continue.
    if (meta.index > s.log.lastIndex) await this.appendReset(s, meta);
    else s.log.compactTo(meta.index, meta.term);
  }

  async installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const s = this.loaded();
    checkNotOlder(meta, s.log.snapshotIndex);
    // Snapshot first: a crash before the reset record leaves a snapshot the old log disagrees
    // with or falls short of, and recovery then discards that log (see afterSnapshot).
    await s.snapshots.write(meta, data);
    await this.appendReset(s, meta);
    await s.wal.removeSegmentsThrough(meta.index);
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    return this.loaded().snapshots.stored();
  }

  async compact(index: number): Promise<void> {
    const s = this.loaded();
    if (index > s.log.snapshotIndex) {
      throw new RangeError(`compact(${index}): only entries covered by the snapshot (up to ${s.log.snapshotIndex}) can be compacted; save a snapshot first`);
    }
    await s.wal.removeSegmentsThrough(index);
  }

  /**
   * The torn tail `load()` cut off, if it found one: the write in flight at the last crash (or
   * damage to the final record, which cannot be told apart). Worth logging at startup.
   */
  get tornTail(): TornTail | undefined {
    return this.torn;
  }

  /** Number of write-ahead log segment files in use. */
  async segmentCount(): Promise<number> {
    return this.loaded().wal.segmentCount;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const s = this.state;
    this.state = undefined;
    // Each release runs even if an earlier one failed: a leaked lock would keep the node out.
    try {
      await s?.wal.close();
    } finally {
      try {
        await s?.snapshots.close();
      } finally {
        await this.lock.release();
      }
    }
  }

  private async appendReset(s: Loaded, meta: SnapshotMeta): Promise<void> {
    s.log.reset(meta.index, meta.term);
    await s.wal.append(encodeReset(meta.index, meta.term), { lastIndex: meta.index, hardState: s.hardState });
  }

  private loaded(): Loaded {
    if (this.closed) throw closedError();
    if (!this.state) throw new Error('FileStorage: call load() before any other method');
    return this.state;
  }
}

function closedError(): Error {
  return new Error('this FileStorage is closed; open the directory again to use it');
}

function checkNotOlder(meta: SnapshotMeta, current: number): void {
  if (meta.index < current) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored snapshot at ${current}; it would lose applied state`);
  }
}

/**
 * Fits the replayed log to the snapshot. Entries the snapshot covers are dropped. If the log has
 * the snapshot's last entry with the snapshot's term, what follows it is kept; if it disagrees or
 * ends before the snapshot (a crash after installing a snapshot from the leader, before the log was
 * reset), the whole log is discarded, as Raft's InstallSnapshot rule says; the caller must then
 * record the discard in the log.
 *
 * @throws StorageCorruptionError if the log starts after the snapshot ends (segments missing).
 */
function afterSnapshot(wal: RecoveredWal, snapshot: SnapshotMeta | undefined): { log: StoredLog; discarded: boolean } {
  const index = snapshot?.index ?? 0;
  const term = snapshot?.term ?? 0;
  if (wal.base > index) {
    const reset = wal.reset && wal.reset.index === wal.base ? ` (the log was reset to a snapshot at ${wal.reset.index}, term ${wal.reset.term}, that is not on disk)` : '';
    throw new StorageCorruptionError(
      wal.segments[0]!.path,
      0,
      `the log starts after index ${wal.base} but the snapshot covers only up to ${index}${reset}: older segments or the snapshot file are missing`,
    );
  }
  const atSnapshot = wal.entries[index - wal.base - 1];
  const keep = index === wal.base || (atSnapshot !== undefined && atSnapshot.term === term);
  return { log: new StoredLog(index, term, keep ? wal.entries.slice(index - wal.base) : []), discarded: !keep };
}
