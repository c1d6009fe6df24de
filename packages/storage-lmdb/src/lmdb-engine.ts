import { encodeHardState, encodeIndex, encodeSnapshot, type KeyValueEngine, type KeyValueWrite, type Recovered } from '@raft/storage-kit';
import { releaseDirectory } from './owner.js';
import { encodeEntry } from './records.js';
import { recover } from './recover.js';
import type { Tables } from './tables.js';

/**
 * The LMDB side of an {@link LmdbStorage}: each batch of writes is one LMDB transaction, whose
 * commit fdatasyncs the data pages, then the meta page, before it resolves. Snapshot chunks are
 * keyed `[generation, sequence]`.
 */
export class LmdbEngine implements KeyValueEngine {
  constructor(
    private readonly dir: string,
    private readonly tables: Tables,
  ) {}

  recover(): Promise<Recovered> {
    return recover(this.tables, this.dir);
  }

  write(batch: readonly KeyValueWrite[]): Promise<void> {
    return this.tables.root.transaction(() => {
      for (const op of batch) this.#apply(op);
    });
  }

  /** Applies one write. In a transaction. */
  #apply(op: KeyValueWrite): void {
    const { entries, meta } = this.tables;
    switch (op.kind) {
      case 'save':
        for (const entry of op.entries) entries.putSync(entry.index, encodeEntry(entry));
        // A conflicting suffix longer than the new entries: its tail is overwritten by nothing.
        this.#removeEntries(op.lastIndex + 1, op.previousLastIndex);
        if (op.entries.length > 0) meta.putSync('lastIndex', encodeIndex(op.lastIndex));
        if (op.hardState) meta.putSync('hardState', encodeHardState(op.hardState));
        return;
      case 'snapshot': {
        const { index } = op.record.meta;
        meta.putSync('snapshot', encodeSnapshot(op.record));
        this.#removeChunksBut(op.record.generation);
        if (op.replacedLog) {
          this.#removeEntries(op.replacedLog.firstStored, op.replacedLog.lastIndex);
          meta.putSync('firstIndex', encodeIndex(index + 1));
          meta.putSync('lastIndex', encodeIndex(index));
        }
        return;
      }
      case 'compact':
        this.#removeEntries(op.firstStored, op.index);
        meta.putSync('firstIndex', encodeIndex(op.index + 1));
        return;
      case 'removeOrphanChunks':
        this.#removeChunksBut(op.generation);
        return;
    }
  }

  /** Removes the entries `from..to` (inclusive). In a transaction. */
  #removeEntries(from: number, to: number): void {
    for (let index = from; index <= to; index++) this.tables.entries.removeSync(index);
  }

  /** Removes the chunks of every generation but `generation`. In a transaction. */
  #removeChunksBut(generation: number): void {
    const { chunks } = this.tables;
    const others = [...chunks.getKeys({ end: [generation] }), ...chunks.getKeys({ start: [generation + 1] })];
    for (const key of others) chunks.removeSync(key);
  }

  newGeneration(current: number): number {
    const [newest] = this.tables.chunks.getKeys({ reverse: true, limit: 1 });
    return Math.max(current, newest?.[0] ?? 0) + 1;
  }

  /**
   * Puts a chunk in its own commit. The chunks arrive pipelined, so lmdb-js packs the ones that
   * queue up during one commit's fdatasync into the next commit; the commit that points the
   * snapshot record at them makes them all durable, as LMDB commits land in order.
   */
  putChunk(generation: number, sequence: number, value: Buffer): Promise<boolean> {
    return this.tables.chunks.put([generation, sequence], value);
  }

  getChunk(generation: number, sequence: number): Buffer | undefined {
    return this.tables.chunks.get([generation, sequence]);
  }

  hasOtherChunks(generation: number): boolean {
    const [before] = this.tables.chunks.getKeys({ end: [generation], limit: 1 });
    const [after] = this.tables.chunks.getKeys({ start: [generation + 1], limit: 1 });
    return before !== undefined || after !== undefined;
  }

  /**
   * Gives up the claim, then closes the environment — even if giving up the claim failed: a leaked
   * handle would keep the files mapped, and a stale claim is taken over by the next open.
   */
  async close(failed: boolean): Promise<void> {
    try {
      await releaseDirectory(this.tables, this.dir, !failed);
    } finally {
      await this.tables.root.close();
    }
  }
}
