import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersistedState, Storage } from '@raft/core';
import type { StorageFactory } from './factory.js';

/** A storage opened by the suite, with what its `load()` returned. */
export interface Opened {
  readonly storage: Storage;
  readonly state: PersistedState;
  readonly dir: string;
}

/**
 * Owns the temporary directories and open storages of one test, so every test starts clean and a
 * failing test never leaks a handle or a lock into the next one.
 */
export class Workspace {
  private readonly dirs: string[] = [];
  private readonly open = new Set<Storage>();

  constructor(private readonly factory: StorageFactory) {}

  /** Opens a storage in a new empty directory and loads it. */
  async fresh(): Promise<Opened> {
    const dir = await mkdtemp(join(tmpdir(), 'raft-storage-suite-'));
    this.dirs.push(dir);
    return this.openIn(dir);
  }

  /** Closes `opened` and opens its directory again: only what was durable survives. */
  async reopen(opened: Opened): Promise<Opened> {
    await this.close(opened.storage);
    return this.openIn(opened.dir);
  }

  /** Closes a storage the suite opened. */
  async close(storage: Storage): Promise<void> {
    this.open.delete(storage);
    await storage.close();
  }

  /** Closes whatever is still open and removes every directory. */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    for (const storage of this.open) await storage.close().catch((e: unknown) => errors.push(e));
    this.open.clear();
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    if (errors.length > 0) throw new AggregateError(errors, 'closing a storage at the end of a test failed');
  }

  private async openIn(dir: string): Promise<Opened> {
    const storage = await this.factory.open(dir);
    this.open.add(storage);
    const state = await storage.load();
    return { storage, state, dir };
  }
}
