import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LmdbStorage, type LmdbStorageOptions } from '../src/index.js';
import { openTables, type Tables } from '../src/tables.js';

const dirs: string[] = [];
const opened: LmdbStorage[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh data directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'raft-storage-lmdb-'));
  dirs.push(dir);
  return dir;
}

/** Opens and loads an LmdbStorage that is closed after the test (closing twice is harmless). */
export async function openLoaded(dir: string, options?: LmdbStorageOptions): Promise<{ storage: LmdbStorage; state: Awaited<ReturnType<LmdbStorage['load']>> }> {
  const storage = await LmdbStorage.open(dir, options);
  opened.push(storage);
  return { storage, state: await storage.load() };
}

/** Changes the database of a closed storage directly, as damage or a crash would have left it. */
export async function tamper(dir: string, change: (tables: Tables) => void): Promise<void> {
  const tables = openTables(dir);
  try {
    await tables.root.transaction(() => change(tables));
  } finally {
    await tables.root.close();
  }
}
