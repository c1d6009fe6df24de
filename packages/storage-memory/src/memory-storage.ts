import { NONE, StoredLog } from '@raft/core';
import type { Entry, HardState, PersistedState, SnapshotMeta, Storage, StoredSnapshot } from '@raft/core';

/** What survives a simulated restart: everything a write had resolved. */
interface Retained {
  hardState: HardState;
  log: StoredLog;
  snapshot: { readonly meta: SnapshotMeta; readonly data: Uint8Array } | undefined;
}

const NEW_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    parts.push(chunk.slice());
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * A {@link Storage} kept in memory: for tests, simulations and examples. It honours the whole
 * contract (errors included) except durability across process restarts; within a process,
 * {@link MemoryStorage.reopen} simulates a restart that keeps every resolved write.
 *
 * @example
 * ```ts
 * const storage = new MemoryStorage();
 * const node = new RaftNode({ id: 1, peers: [2, 3], storage, transport, stateMachine });
 * // later, to restart the node from what it had persisted:
 * const again = new RaftNode({ ..., storage: storage.reopen() });
 * ```
 */
export class MemoryStorage implements Storage {
  #retained: Retained = { hardState: NEW_HARD_STATE, log: new StoredLog(0, 0, []), snapshot: undefined };
  #loaded = false;
  #closed = false;
  #failNext: Error | undefined;

  /**
   * A new storage over the same retained state, as a process restarting from disk would see it.
   * This one is closed: a crashed process's handles are gone.
   */
  reopen(): MemoryStorage {
    this.#closed = true;
    const reopened = new MemoryStorage();
    reopened.#retained = this.#retained;
    return reopened;
  }

  /**
   * Makes the next write (`save`, `saveSnapshot`, `installSnapshot`, `compact`) reject with
   * `error` without changing anything, to test how a runtime reacts to a failing disk.
   */
  failNextWrite(error: Error): void {
    this.#failNext = error;
  }

  async load(): Promise<PersistedState> {
    this.#open();
    if (this.#loaded) throw new Error('MemoryStorage.load() was already called; it is called once, when the node starts');
    this.#loaded = true;
    const { hardState, log, snapshot } = this.#retained;
    return { hardState, snapshot: snapshot?.meta, entries: [...log.all()] };
  }

  async save(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }): Promise<void> {
    const { log } = this.#writable();
    const entries = update.entries ?? [];
    log.checkAppend(entries);
    // Entries are immutable values (see Entry): the caller's objects are kept, the array is not.
    log.append(entries);
    if (update.hardState !== undefined) this.#retained.hardState = { ...update.hardState };
  }

  async entries(lo: number, hi: number): Promise<Entry[]> {
    return this.#ready().log.slice(lo, hi);
  }

  async term(index: number): Promise<number> {
    return this.#ready().log.term(index);
  }

  async firstIndex(): Promise<number> {
    return this.#ready().log.firstIndex;
  }

  async lastIndex(): Promise<number> {
    return this.#ready().log.lastIndex;
  }

  async saveSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const retained = this.#writable();
    const { log } = retained;
    checkNotOlder(meta, log.snapshotIndex);
    if (meta.index <= log.lastIndex && log.term(meta.index) !== meta.term) {
      throw new RangeError(
        `saveSnapshot(): the snapshot says index ${meta.index} has term ${meta.term}, the log says ${log.term(meta.index)}; ` +
          'a local snapshot must match the log (use installSnapshot for a snapshot from the leader)',
      );
    }
    retained.snapshot = { meta, data: await collect(data) };
    if (meta.index > log.lastIndex) log.reset(meta.index, meta.term);
    else log.compactTo(meta.index, meta.term);
  }

  async installSnapshot(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const retained = this.#writable();
    checkNotOlder(meta, retained.log.snapshotIndex);
    retained.snapshot = { meta, data: await collect(data) };
    retained.log.reset(meta.index, meta.term);
  }

  async readSnapshot(): Promise<StoredSnapshot | undefined> {
    const snapshot = this.#ready().snapshot;
    if (snapshot === undefined) return undefined;
    return {
      meta: snapshot.meta,
      size: snapshot.data.byteLength,
      async *read() {
        yield snapshot.data.slice();
      },
    };
  }

  async compact(index: number): Promise<void> {
    const { log } = this.#writable();
    if (index > log.snapshotIndex) {
      throw new RangeError(`compact(${index}): only entries covered by the snapshot (up to ${log.snapshotIndex}) can be compacted; save a snapshot first`);
    }
    // saveSnapshot already dropped what the snapshot covers; memory is reclaimed there.
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new Error('this MemoryStorage is closed; use reopen() on it to get a storage over the same data');
  }

  #ready(): Retained {
    this.#open();
    if (!this.#loaded) throw new Error('call load() before any other MemoryStorage method');
    return this.#retained;
  }

  #writable(): Retained {
    const retained = this.#ready();
    const failure = this.#failNext;
    if (failure !== undefined) {
      this.#failNext = undefined;
      throw failure;
    }
    return retained;
  }
}

function checkNotOlder(meta: SnapshotMeta, snapshotIndex: number): void {
  if (meta.index < snapshotIndex) {
    throw new RangeError(`snapshot at index ${meta.index} is older than the stored one at ${snapshotIndex}`);
  }
}
