import { open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageCorruptionError } from './errors.js';

/** LMDB page size, fixed when an environment is created (see tables.ts). */
export const PAGE_BYTES = 4096;

/**
 * A file created once LMDB has first opened the directory: from then on `data.mdb` must exist and
 * hold at least its two meta pages. Only its presence matters.
 */
const MARKER = 'RAFT-STORAGE-LMDB';
const MARKER_TEXT = 'This directory holds a Raft log and hard state in LMDB (data.mdb). Never delete or edit data.mdb.\n';

/** Size of the regular file at `path`, or undefined if there is none. */
async function sizeOf(path: string): Promise<number | undefined> {
  try {
    const found = await stat(path);
    return found.isFile() ? found.size : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Checks `data.mdb` before LMDB sees it. LMDB silently starts a new, empty database when the file
 * is missing or empty — a node that had voted would forget its vote — and crashes the process when
 * the file is shorter than its two meta pages. A missing or empty file is fine only in a directory
 * never opened before.
 *
 * @throws StorageCorruptionError if `data.mdb` is cut short, or missing or empty in a directory
 *   that was in use.
 */
export async function checkDataFile(dir: string): Promise<void> {
  const file = join(dir, 'data.mdb');
  const size = (await sizeOf(file)) ?? 0;
  if (size >= 2 * PAGE_BYTES) return;
  if ((await sizeOf(join(dir, MARKER))) !== undefined) {
    throw new StorageCorruptionError(dir, file, `${size === 0 ? 'missing or empty' : `only ${size} bytes, shorter than LMDB's two meta pages`}, but this directory was in use`);
  }
  if (size > 0) {
    throw new Error(
      `${file} is only ${size} bytes, shorter than LMDB's two meta pages: the first open of this directory was cut ` +
        'short, before it held any data. Delete data.mdb and start the node again.',
    );
  }
}

/** Records, durably, that the directory is in use (see {@link checkDataFile}). */
export async function markInUse(dir: string): Promise<void> {
  const path = join(dir, MARKER);
  if ((await sizeOf(path)) !== undefined) return;
  await writeFile(path, MARKER_TEXT);
  // The file's existence is the record, so the directory entry must be durable.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
