import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** The disk's own speed: one writer doing `write` of 100 bytes + `fdatasync`, back to back. */
export interface RawFsync {
  readonly syncsPerSecond: number;
  readonly meanLatencyMs: number;
}

/**
 * Measures the raw fdatasync rate of the filesystem holding `dir` — the same reference as
 * `@raft/conformance`'s storage benchmark, so the figures compare across `docs/benchmarks.md`.
 */
export async function rawFsync(dir: string, durationMs: number): Promise<RawFsync> {
  const path = join(dir, `raw-fsync-${process.pid}`);
  const handle = await open(path, 'w');
  try {
    const block = Buffer.alloc(100, 0x5a);
    let syncs = 0;
    const start = performance.now();
    while (performance.now() - start < durationMs) {
      await handle.write(block, 0, block.length, syncs * block.length);
      await handle.datasync();
      syncs += 1;
    }
    const elapsed = performance.now() - start;
    return { syncsPerSecond: (syncs * 1000) / elapsed, meanLatencyMs: elapsed / syncs };
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
}
