import { createReadStream } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { SnapshotMeta, StoredSnapshot } from '@raft/core';
import { StorageCorruptionError, syncDirectory } from '@raft/storage-kit';

/*
 * One snapshot file, `snapshot`: the data as streamed in, then a trailer, then a fixed footer:
 *
 *   data | trailer (JSON: meta, data size, data crc32) | crc32(trailer) 8 hex | trailer length 8 hex
 *
 * The trailer goes last because the data's size and checksum are known only once it is streamed.
 * A new snapshot is written to `snapshot.tmp`, fsync'd, renamed over the old one, and the directory
 * fsync'd: the file is always either the old snapshot or the new one, whole.
 */

const FILE = 'snapshot';
const TEMP = 'snapshot.tmp';
const FOOTER_BYTES = 16;

interface Trailer {
  readonly meta: SnapshotMeta;
  readonly size: number;
  readonly crc: number;
}

/** Writes a snapshot durably, replacing the previous one. Nothing changes if `data` fails. */
export async function writeSnapshot(dir: string, meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<StoredSnapshot> {
  const temp = join(dir, TEMP);
  const file = await open(temp, 'w');
  let size = 0;
  let crc = 0;
  try {
    for await (const chunk of data) {
      await file.write(chunk);
      size += chunk.length;
      crc = crc32(chunk, crc);
    }
    const trailer = Buffer.from(JSON.stringify({ meta, size, crc } satisfies Trailer));
    await file.write(Buffer.concat([trailer, Buffer.from(hex(crc32(trailer)) + hex(trailer.length))]));
    await file.datasync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, join(dir, FILE));
  await syncDirectory(dir);
  return storedSnapshot(join(dir, FILE), { meta, size, crc });
}

/**
 * Reads and checks the snapshot (every byte of it, against its checksum), or `undefined` if there
 * is none. Removes a leftover `snapshot.tmp` (a crash while writing one).
 * @throws StorageCorruptionError when the file does not check out.
 */
export async function loadSnapshot(dir: string): Promise<StoredSnapshot | undefined> {
  await rm(join(dir, TEMP), { force: true });
  const path = join(dir, FILE);
  const total = await stat(path).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    },
  );
  if (total === undefined) return undefined;
  const bytes = await readFile(path);
  const bad = (what: string) => new StorageCorruptionError(path, undefined, `the snapshot ${what}`);
  if (total < FOOTER_BYTES) throw bad('is too short to hold its trailer');
  const footer = bytes.subarray(total - FOOTER_BYTES).toString('latin1');
  const trailerCrc = parseHex(footer.slice(0, 8));
  const trailerLength = parseHex(footer.slice(8));
  if (trailerCrc === undefined || trailerLength === undefined || trailerLength > total - FOOTER_BYTES) throw bad('footer is damaged');
  const trailerBytes = bytes.subarray(total - FOOTER_BYTES - trailerLength, total - FOOTER_BYTES);
  if (crc32(trailerBytes) !== trailerCrc) throw bad('trailer fails its checksum');
  const trailer = JSON.parse(trailerBytes.toString('utf8')) as Trailer;
  if (trailer.size !== total - FOOTER_BYTES - trailerLength) throw bad(`data should be ${trailer.size} bytes`);
  if (crc32(bytes.subarray(0, trailer.size)) !== trailer.crc) throw bad('data fails its checksum');
  return storedSnapshot(path, trailer);
}

function storedSnapshot(path: string, { meta, size }: Trailer): StoredSnapshot {
  return {
    meta,
    size,
    // A fresh stream on each call; the file was checked when it was loaded or written.
    read: () => (size === 0 ? empty() : createReadStream(path, { start: 0, end: size - 1 })),
  };
}

async function* empty(): AsyncGenerator<Uint8Array> {}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function parseHex(text: string): number | undefined {
  return /^[0-9a-f]{8}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}
