import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { testEntries } from '@raft/conformance/storage-suite';
import { readFrame } from '../src/frame.js';
import { decodeRecords, type WalRecord } from '../src/records.js';
import { FileStorage, type FileStorageOptions } from '../src/index.js';

const dirs: string[] = [];
const opened: FileStorage[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh data directory, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'raft-storage-file-'));
  dirs.push(dir);
  return dir;
}

/** Opens and loads a FileStorage that is closed after the test (closing twice is harmless). */
export async function openLoaded(dir: string, options?: FileStorageOptions): Promise<{ storage: FileStorage; state: Awaited<ReturnType<FileStorage['load']>> }> {
  const storage = await FileStorage.open(dir, options);
  opened.push(storage);
  return { storage, state: await storage.load() };
}

/** Writes `batches` batches of `perBatch` test entries in term 1, each with a hard state, then closes. */
export async function writeBatches(dir: string, batches: number, perBatch: number, options?: FileStorageOptions): Promise<void> {
  const { storage } = await openLoaded(dir, options);
  for (let b = 0; b < batches; b++) {
    const from = b * perBatch + 1;
    await storage.save({ entries: testEntries(from, from + perBatch - 1, 1), hardState: { term: 1, vote: 1, commit: from - 1 } });
  }
  await storage.close();
}

/** Paths of the segment files, in order. */
export async function segmentPaths(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.wal')).sort().map((n) => join(dir, n));
}

/** The frames of a segment (which must be intact): where each starts and ends, and its records. */
export async function decodeFrames(path: string): Promise<{ start: number; end: number; records: WalRecord[] }[]> {
  const buf = await readFile(path);
  const frames = [];
  for (let at = 0; at < buf.length; ) {
    const frame = readFrame(buf, at);
    if (!frame.ok) throw new Error(`${path}: no valid frame at ${at}`);
    frames.push({ start: at, end: frame.next, records: decodeRecords(frame.body) });
    at = frame.next;
  }
  return frames;
}

/** Start offsets of the frames of a segment (which must be intact). */
export async function frameOffsets(path: string): Promise<number[]> {
  return (await decodeFrames(path)).map((f) => f.start);
}

/** Inverts the bits of the byte at `offset` of a file. */
export async function flipByte(path: string, offset: number): Promise<void> {
  const buf = await readFile(path);
  buf[offset] = buf[offset]! ^ 0xff;
  await writeFile(path, buf);
}
