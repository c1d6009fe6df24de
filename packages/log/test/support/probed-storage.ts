import type { Entry, HardState, SnapshotMeta, Storage } from '../../src/index.js';

/** One `installSnapshot` call seen by a {@link ProbedStorage}. */
export interface Install {
  readonly meta: SnapshotMeta;
  pieces: number;
  outcome: 'pending' | 'installed' | 'failed';
}

type SaveUpdate = { readonly entries?: readonly Entry[]; readonly hardState?: HardState };

/**
 * A {@link Storage} that forwards to a real one, records every `save`, and can be told to fail
 * writes — to observe batching and to exercise the node's reaction to a failed write.
 */
export class ProbedStorage implements Storage {
  readonly saves: SaveUpdate[] = [];
  /** Every `installSnapshot` call: how many pieces the stream yielded and how it ended. */
  readonly installs: Install[] = [];
  /** When set, every later `save` rejects with this error. */
  failWrites: Error | undefined;

  constructor(private readonly inner: Storage) {}

  async save(update: SaveUpdate): Promise<void> {
    if (this.failWrites !== undefined) throw this.failWrites;
    this.saves.push(update);
    await this.inner.save(update);
  }

  load() {
    return this.inner.load();
  }
  entries(lo: number, hi: number) {
    return this.inner.entries(lo, hi);
  }
  term(index: number) {
    return this.inner.term(index);
  }
  firstIndex() {
    return this.inner.firstIndex();
  }
  lastIndex() {
    return this.inner.lastIndex();
  }
  saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>) {
    return this.inner.saveSnapshot(meta, data);
  }
  async installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>) {
    const install: Install = { meta, pieces: 0, outcome: 'pending' };
    this.installs.push(install);
    async function* counted(): AsyncIterable<Uint8Array> {
      for await (const piece of data) {
        install.pieces++;
        yield piece;
      }
    }
    try {
      await this.inner.installSnapshot(meta, counted());
      install.outcome = 'installed';
    } catch (error) {
      install.outcome = 'failed';
      throw error;
    }
  }
  readSnapshot() {
    return this.inner.readSnapshot();
  }
  compact(index: number) {
    return this.inner.compact(index);
  }
  close() {
    return this.inner.close();
  }
}
