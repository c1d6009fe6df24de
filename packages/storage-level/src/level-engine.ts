import { encodeHardState, encodeIndex, encodeSnapshot, encodeU32, markInUse, syncDirectory, type KeyValueEngine, type KeyValueWrite, type Recovered } from '@raft/storage-kit';
import { BatchBuilder, LogRecords } from './batch.js';
import type { Db } from './db.js';
import { IN_USE, newestLog } from './directory.js';
import { FORMAT_VERSION } from './records.js';
import { recover } from './recover.js';
import { SnapshotChunks } from './snapshot-chunks.js';

/**
 * The LevelDB side of a {@link LevelStorage}: each batch of writes is one synced LevelDB write
 * batch, in which the entries of consecutive saves become one log record (see
 * {@link BatchBuilder}) and a meta record several writes set is written once, with its last value.
 */
export class LevelEngine implements KeyValueEngine {
  /** Whether the directory holds an acknowledged write (its marker file exists). */
  #inUse: boolean;
  /** The newest LevelDB log file whose name is known to be durable. */
  #syncedLog: string | undefined;
  /** Whether the database holds the format record (the first write that stores anything adds it). */
  #formatStored: boolean;
  /**
   * The log records stored, one per group commit that saved entries: read by `recover()`, updated
   * as batches are built.
   */
  #records = new LogRecords();
  readonly #chunks: SnapshotChunks;

  constructor(
    private readonly dir: string,
    private readonly db: Db,
    inUse: boolean,
    formatStored: boolean,
  ) {
    this.#inUse = inUse;
    this.#formatStored = formatStored;
    this.#chunks = new SnapshotChunks(db, dir);
  }

  async recover(): Promise<Recovered> {
    await this.#chunks.scan();
    const { records, ...recovered } = await recover(this.db, this.dir, this.#inUse, this.#formatStored);
    this.#records = records;
    return recovered;
  }

  /**
   * Writes `batch` as one synced LevelDB batch. The first batch that stores anything (every write
   * but the removal of orphan chunks does) also stores the format record, and marks the directory
   * as in use before it resolves: from then on an empty database there is damage (see recover.ts).
   */
  async write(batch: readonly KeyValueWrite[]): Promise<void> {
    // A chained batch: classic-level's array form costs about twice as much per operation.
    const write = this.db.batch();
    const builder = new BatchBuilder(write, this.#records);
    for (const op of batch) this.#build(builder, op);
    const stores = batch.some((op) => op.kind !== 'removeOrphanChunks');
    const addsFormat = stores && !this.#formatStored;
    if (addsFormat) builder.meta('format', () => encodeU32(FORMAT_VERSION));
    builder.finish();
    await write.write({ sync: true });
    if (addsFormat) this.#formatStored = true;
    // LevelDB starts a new log file every few MiB and fdatasyncs it, but makes its name durable
    // only when it next syncs its manifest, after the old log's data is in a table file. Until
    // then a power cut could lose the new file with the writes in it on a filesystem that does
    // not persist a new file's name with its data, so the name is made durable here.
    const log = newestLog(this.dir);
    if (log !== this.#syncedLog) {
      await syncDirectory(this.dir);
      this.#syncedLog = log;
    }
    if (stores && !this.#inUse) {
      await markInUse(this.dir, IN_USE);
      this.#inUse = true;
    }
  }

  #build(b: BatchBuilder, op: KeyValueWrite): void {
    switch (op.kind) {
      case 'save': {
        const { entries, hardState, lastIndex } = op;
        if (entries.length > 0) {
          // The record starting at entries[0] supersedes any conflicting suffix, however long.
          b.append(entries);
          b.meta('lastIndex', () => encodeIndex(lastIndex));
        }
        if (hardState) b.meta('hardState', () => encodeHardState(hardState));
        return;
      }
      case 'snapshot': {
        const { record } = op;
        b.meta('snapshot', () => encodeSnapshot(record));
        b.ops(this.#chunks.removeAllBut(record.generation));
        if (op.replacedLog) {
          b.removeAllRecords();
          b.meta('firstIndex', () => encodeIndex(record.meta.index + 1));
          b.meta('lastIndex', () => encodeIndex(record.meta.index));
        }
        return;
      }
      case 'compact':
        // A record holding entries on both sides of `index` stays; recovery skips its first part.
        b.removeRecordsThrough(op.index);
        b.meta('firstIndex', () => encodeIndex(op.index + 1));
        return;
      case 'removeOrphanChunks':
        b.ops(this.#chunks.removeAllBut(op.generation));
        return;
    }
  }

  newGeneration(current: number): number {
    return this.#chunks.newGeneration(current);
  }

  putChunk(generation: number, sequence: number, value: Buffer): Promise<void> {
    return this.#chunks.put(generation, sequence, value);
  }

  getChunk(generation: number, sequence: number, what: string): Promise<Buffer | undefined> {
    return this.#chunks.get(generation, sequence, what);
  }

  hasOtherChunks(generation: number): boolean {
    return this.#chunks.hasOthers(generation);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
