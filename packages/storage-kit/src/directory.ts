import { open, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A file saying that a data directory holds acknowledged writes. An engine told to create a missing
 * database (LevelDB without `CURRENT`, LMDB without `data.mdb`) silently starts a new, empty one —
 * a node that had voted would forget its vote — so once the marker exists, the engine's files
 * going missing is damage, not a new directory. Only the marker's presence matters; its text is for
 * an operator who finds it.
 */
export interface InUseMarker {
  /** The marker's file name in the data directory, e.g. `RAFT-STORAGE-LEVEL`. */
  readonly name: string;
  /** What the file says, e.g. that the directory's files must never be deleted or edited. */
  readonly text: string;
}

/** Size of the regular file at `path`, or undefined if there is none. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const found = await stat(path);
    return found.isFile() ? found.size : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Whether `dir` holds the marker: it held acknowledged writes. */
export async function isMarkedInUse(dir: string, marker: InUseMarker): Promise<boolean> {
  return (await fileSize(join(dir, marker.name))) !== undefined;
}

/** Records, durably, that `dir` holds acknowledged writes (see {@link InUseMarker}). */
export async function markInUse(dir: string, marker: InUseMarker): Promise<void> {
  if (await isMarkedInUse(dir, marker)) return;
  await writeFile(join(dir, marker.name), marker.text);
  // The file's existence is the record, so the directory entry must be durable.
  await syncDirectory(dir);
}

/**
 * fsyncs a directory, making the names of the files created, renamed or removed in it durable:
 * without it a new file may vanish after a power cut although its data was synced.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
