import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDb, type Db } from '../src/db.js';
import { LevelStorage, type LevelStorageOptions } from '../src/index.js';

const dirs: string[] = [];
const opened: LevelStorage[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh data directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'raft-storage-level-'));
  dirs.push(dir);
  return dir;
}

/** Opens and loads a LevelStorage that is closed after the test (closing twice is harmless). */
export async function openLoaded(dir: string, options?: LevelStorageOptions): Promise<{ storage: LevelStorage; state: Awaited<ReturnType<LevelStorage['load']>> }> {
  const storage = await LevelStorage.open(dir, options);
  opened.push(storage);
  return { storage, state: await storage.load() };
}

/**
 * Changes the database of a closed storage directly, as damage or a crash would have left it
 * (`create`: in a directory that has none yet).
 */
export async function tamper(dir: string, change: (db: Db) => Promise<void>, create = false): Promise<void> {
  const db = await openDb(dir, create);
  try {
    await change(db);
  } finally {
    await db.close();
  }
}
