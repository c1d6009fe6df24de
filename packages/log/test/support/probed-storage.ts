import type { Entry, HardState, SnapshotMeta, Storage } from '../../src/index.js';

type SaveUpdate = { readonly entries?: readonly Entry[]; readonly hardState?: HardState };

/**
 * A {@link Storage} that forwards to a real one, records every `save`, and can be told to fail
 * writes — to observe batching and to exercise the node's reaction to a failed write.
 */
export class ProbedStorage implements Storage {
  readonly saves: SaveUpdate[] = [];
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
  installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>) {
    return this.inner.installSnapshot(meta, data);
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
