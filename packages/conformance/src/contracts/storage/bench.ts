import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EntryType, type Entry, type Storage } from '@raft/core';

/** Options of {@link benchmarkStorage}. */
export interface StorageBenchOptions {
  /** Opens a fresh storage in an empty directory (the bench calls `load()` and `close()`). */
  open(dir: string): Storage | Promise<Storage>;
  /**
   * Where to create the bench directories: must be on the disk the storage will use, since every
   * figure is a ratio to that disk's fdatasync rate. Default: the OS temp directory.
   */
  readonly parentDir?: string;
  /** How long each measurement runs. Default 1500 ms. */
  readonly durationMs?: number;
}

/** The disk's own speed: `write` of a small block + `fdatasync`, one at a time, through Node's fs. */
export interface RawFsync {
  readonly syncsPerSecond: number;
  readonly meanLatencyMs: number;
}

/** Sequential appends of one batch shape. */
export interface AppendResult {
  readonly batchSize: number;
  readonly entryBytes: number;
  readonly entriesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly meanLatencyMs: number;
  /** Batches per second ÷ raw fdatasyncs per second (1 = as fast as the disk allows one writer). */
  readonly batchRateToRawFsync: number;
}

/** Everything {@link benchmarkStorage} measured. */
export interface StorageBenchResult {
  /** Raw fdatasync rate, measured before and after the storage runs; ratios use their mean. */
  readonly rawFsync: { readonly before: RawFsync; readonly after: RawFsync; readonly syncsPerSecond: number; readonly meanLatencyMs: number };
  readonly appends: readonly AppendResult[];
  /** Mean `save()` latency of one 100-byte entry ÷ mean raw write + fdatasync latency. Target ≤ 1.5. */
  readonly batch1LatencyToRawFsync: number;
  /** Concurrent proposers, each saving one 100-byte entry at a time, relying on group commit. */
  readonly concurrent: { readonly proposers: number; readonly entriesPerSecond: number; readonly entriesToRawFsync: number };
}

const BATCH_SIZES = [1, 16, 256] as const;
const ENTRY_SIZES = [100, 4096] as const;
const PROPOSERS = 64;

/**
 * The storage benchmark every storage adapter runs (`pnpm bench`): append throughput for batch
 * sizes 1, 16 and 256 of 100-byte and 4 KiB entries, batch-1 latency, and 64 concurrent proposers
 * through group commit — each reported as a ratio to the raw fdatasync rate of the same disk,
 * measured in the same run, because absolute numbers on shared machines are noise.
 */
export async function benchmarkStorage(options: StorageBenchOptions): Promise<StorageBenchResult> {
  const duration = options.durationMs ?? 1500;
  const parent = options.parentDir ?? tmpdir();
  const before = await measureRawFsync(parent, duration);
  const appends: AppendResult[] = [];
  for (const entryBytes of ENTRY_SIZES) {
    for (const batchSize of BATCH_SIZES) appends.push(await sequentialAppends(options, parent, batchSize, entryBytes, duration));
  }
  const concurrent = await concurrentProposers(options, parent, duration);
  const after = await measureRawFsync(parent, duration);
  const syncsPerSecond = (before.syncsPerSecond + after.syncsPerSecond) / 2;
  const meanLatencyMs = (before.meanLatencyMs + after.meanLatencyMs) / 2;
  const batch1 = appends.find((a) => a.batchSize === 1 && a.entryBytes === 100)!;
  return {
    rawFsync: { before, after, syncsPerSecond, meanLatencyMs },
    appends: appends.map((a) => ({ ...a, batchRateToRawFsync: a.entriesPerSecond / a.batchSize / syncsPerSecond })),
    batch1LatencyToRawFsync: batch1.meanLatencyMs / meanLatencyMs,
    concurrent: { proposers: PROPOSERS, entriesPerSecond: concurrent, entriesToRawFsync: concurrent / syncsPerSecond },
  };
}

/** A printable report of a {@link StorageBenchResult}. */
export function formatStorageBench(name: string, r: StorageBenchResult): string {
  const f = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    `${name}`,
    `raw write+fdatasync: ${f(r.rawFsync.syncsPerSecond)}/s, ${f(r.rawFsync.meanLatencyMs, 3)} ms (before ${f(r.rawFsync.before.syncsPerSecond)}/s, after ${f(r.rawFsync.after.syncsPerSecond)}/s)`,
    'batch  entry  entries/s    MB/s  latency ms  batches/s ÷ raw fsync/s',
    ...r.appends.map(
      (a) =>
        `${String(a.batchSize).padStart(5)}  ${String(a.entryBytes).padStart(5)}  ${f(a.entriesPerSecond).padStart(9)}  ${f(a.megabytesPerSecond, 1).padStart(6)}  ${f(a.meanLatencyMs, 3).padStart(10)}  ${f(a.batchRateToRawFsync, 2).padStart(6)}`,
    ),
    `batch-1 save latency ÷ raw fdatasync latency: ${f(r.batch1LatencyToRawFsync, 2)} (target ≤ 1.5)`,
    `${r.concurrent.proposers} concurrent proposers: ${f(r.concurrent.entriesPerSecond)} entries/s = ${f(r.concurrent.entriesToRawFsync, 1)}× the raw fsync rate (target ≥ 20×)`,
  ];
  return lines.join('\n');
}

/** Runs `body` in a fresh directory under `parent`, removed afterwards. */
async function inTempDir<T>(parent: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, 'raft-storage-bench-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The disk's own speed, the reference every storage figure is divided by: one writer doing a
 * 128-byte `write` + `fdatasync` back to back for `duration` ms, in a temporary directory under
 * `parent` (so on the filesystem being measured). Exported so that other benchmarks (e.g. the KV
 * service's) report against the same reference.
 */
export async function measureRawFsync(parent: string, duration: number): Promise<RawFsync> {
  return inTempDir(parent, async (dir) => {
    const handle = await open(join(dir, 'raw'), 'w');
    try {
      const block = Buffer.alloc(128, 0x5a);
      let syncs = 0;
      const start = performance.now();
      while (performance.now() - start < duration) {
        await handle.write(block, 0, block.length, syncs * block.length);
        await handle.datasync();
        syncs += 1;
      }
      const elapsed = performance.now() - start;
      return { syncsPerSecond: (syncs * 1000) / elapsed, meanLatencyMs: elapsed / syncs };
    } finally {
      await handle.close();
    }
  });
}

/** Makes entries from index `next` on, sharing one payload buffer (the bench measures storage, not allocation). */
function entriesFrom(next: number, count: number, payload: Uint8Array): Entry[] {
  const out: Entry[] = new Array<Entry>(count);
  for (let i = 0; i < count; i++) out[i] = { index: next + i, term: 1, type: EntryType.Normal, data: payload };
  return out;
}

async function withStorage<T>(options: StorageBenchOptions, parent: string, body: (s: Storage) => Promise<T>): Promise<T> {
  return inTempDir(parent, async (dir) => {
    const storage = await options.open(dir);
    try {
      await storage.load();
      return await body(storage);
    } finally {
      await storage.close();
    }
  });
}

async function sequentialAppends(
  options: StorageBenchOptions,
  parent: string,
  batchSize: number,
  entryBytes: number,
  duration: number,
): Promise<AppendResult> {
  const payload = new Uint8Array(entryBytes).fill(0x61);
  return withStorage(options, parent, async (storage) => {
    let next = 1;
    const start = performance.now();
    while (performance.now() - start < duration) {
      await storage.save({ entries: entriesFrom(next, batchSize, payload) });
      next += batchSize;
    }
    const seconds = (performance.now() - start) / 1000;
    const entries = next - 1;
    return {
      batchSize,
      entryBytes,
      entriesPerSecond: entries / seconds,
      megabytesPerSecond: (entries * entryBytes) / seconds / 1e6,
      meanLatencyMs: (seconds * 1000) / (entries / batchSize),
      batchRateToRawFsync: 0,
    };
  });
}

async function concurrentProposers(options: StorageBenchOptions, parent: string, duration: number): Promise<number> {
  const payload = new Uint8Array(100).fill(0x62);
  return withStorage(options, parent, async (storage) => {
    let next = 1;
    const start = performance.now();
    const proposer = async (): Promise<void> => {
      while (performance.now() - start < duration) {
        // The index is taken when save() is called: calls are ordered, so indexes stay consecutive.
        await storage.save({ entries: entriesFrom(next++, 1, payload) });
      }
    };
    await Promise.all(Array.from({ length: PROPOSERS }, proposer));
    return (next - 1) / ((performance.now() - start) / 1000);
  });
}
