import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom, type HardState, type Storage } from '@raft/core';
import { collect, inChunks, isTestEntry, sameBytes, testEntries, testSnapshotData, testSnapshotMeta } from './fixtures.js';

/** Options of {@link storageCorruptionSuite}. */
export interface CorruptionSuiteOptions {
  /** Opens the storage kept in `dir` (the suite calls `load()` and `close()`). */
  open(dir: string): Storage | Promise<Storage>;
  /**
   * The files of `dir` the suite may damage. Default: every file below `dir` whose name does not
   * contain "lock" (lock files hold no data).
   */
  dataFiles?(dir: string): Promise<string[]>;
  /** Damaged directories per kind of damage. Default 12. */
  readonly cases?: number;
  /** Default 1. */
  readonly seed?: number;
}

/** What the suite writes before damaging a file: batches of entries, each with a hard state. */
const BATCHES = 30;
const SNAPSHOT_INDEX = 10;
const SNAPSHOT_BYTES = 50_000;

interface Written {
  /** Last index of each batch, in order. */
  readonly batchEnds: number[];
  /** Hard state saved with each batch. */
  readonly hardStates: HardState[];
}

async function writeKnownState(storage: Storage, random: () => number): Promise<Written> {
  const batchEnds: number[] = [];
  const hardStates: HardState[] = [];
  let next = 1;
  for (let b = 0; b < BATCHES; b++) {
    const end = next + Math.floor(random() * 8);
    const hardState = { term: 1, vote: 1, commit: next - 1 };
    await storage.save({ entries: testEntries(next, end, 1), hardState });
    batchEnds.push(end);
    hardStates.push(hardState);
    next = end + 1;
    if (b === 5) await storage.saveSnapshot(testSnapshotMeta(SNAPSHOT_INDEX, 1), inChunks(testSnapshotData(SNAPSHOT_INDEX, 1, SNAPSHOT_BYTES), 4096));
  }
  return { batchEnds, hardStates };
}

async function defaultDataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !/lock/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Reopens a damaged directory. Detection (load or a read rejecting) is always acceptable. If the
 * storage loads, what it returns must be exact — every entry byte for byte, the snapshot intact, a
 * hard state that was saved — and, unless a file was cut short, at most the final batch may be
 * missing (a damaged last record cannot be told from a torn write). `damage` describes what was
 * done, for failure messages.
 */
async function checkDamaged(options: CorruptionSuiteOptions, dir: string, written: Written, truncated: boolean, damage: string): Promise<void> {
  let storage: Storage;
  try {
    storage = await options.open(dir);
  } catch {
    return; // detected when opening
  }
  try {
    const state = await storage.load();
    const snapshot = await storage.readSnapshot();
    const snapshotData = snapshot ? await collect(snapshot.read()) : undefined;
    const entries = state.entries;
    const first = (state.snapshot?.index ?? 0) + 1;
    const last = entries.at(-1)?.index ?? first - 1;
    entries.forEach((e, i) => {
      expect(e.index === first + i && isTestEntry(e), `${damage}: entry ${e.index} read back wrong`).toBe(true);
    });
    if (state.snapshot) {
      expect(state.snapshot, `${damage}: snapshot metadata`).toEqual(testSnapshotMeta(SNAPSHOT_INDEX, 1));
      expect(sameBytes(snapshotData!, testSnapshotData(SNAPSHOT_INDEX, 1, SNAPSHOT_BYTES)), `${damage}: snapshot data`).toBe(true);
    }
    const batch = written.batchEnds.indexOf(last);
    expect(batch, `${damage}: the log ends at ${last}, inside a batch`).toBeGreaterThanOrEqual(0);
    if (!truncated) expect(batch, `${damage}: acknowledged batches are missing`).toBeGreaterThanOrEqual(BATCHES - 2);
    expect(state.hardState, `${damage}: hard state`).toEqual(written.hardStates[batch]);
  } catch (e) {
    // A rejection from the adapter is detection; an assertion failure is not.
    if ((e as Error).name === 'AssertionError') throw e;
  } finally {
    await storage.close();
  }
}

/**
 * Registers the corruption cases for an adapter: a directory holding known entries, hard states
 * and a snapshot is damaged — one byte flipped, or one file cut short, at a seeded random file and
 * offset — and reopened. The adapter must either detect the damage (reject on open, load or read)
 * or return exactly what was written, missing at most the final batch (or, when a file was cut
 * short, a suffix of whole batches). Never wrong bytes, never half a batch.
 */
export function storageCorruptionSuite(name: string, options: CorruptionSuiteOptions): void {
  const cases = options.cases ?? 12;
  const seed = options.seed ?? 1;
  describe(`${name} — damaged data directories (seed ${seed})`, () => {
    for (const kind of ['flipped byte', 'file cut short'] as const) {
      it(`detects or survives ${cases} × ${kind}`, async () => {
        const random = seededRandom(seed * 7 + (kind === 'flipped byte' ? 1 : 2));
        for (let c = 0; c < cases; c++) {
          const dir = await mkdtemp(join(tmpdir(), 'raft-storage-corrupt-'));
          try {
            const storage = await options.open(dir);
            await storage.load();
            const written = await writeKnownState(storage, random);
            await storage.close();
            const files = await (options.dataFiles ?? defaultDataFiles)(dir);
            expect(files.length, 'the storage wrote no data file to damage').toBeGreaterThan(0);
            const file = files[Math.floor(random() * files.length)]!;
            const size = (await stat(file)).size;
            const offset = Math.floor(random() * size);
            if (kind === 'flipped byte') {
              const buf = await readFile(file);
              buf[offset] = buf[offset]! ^ (1 << Math.floor(random() * 8));
              await writeFile(file, buf);
            } else {
              await truncate(file, offset);
            }
            await checkDamaged(options, dir, written, kind === 'file cut short', `case ${c}: ${kind} in ${file} at ${offset} of ${size}`);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        }
      }, 120_000);
    }
  });
}
