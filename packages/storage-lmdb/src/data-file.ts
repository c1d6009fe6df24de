import { join } from 'node:path';
import { StorageCorruptionError, fileSize, isMarkedInUse, type InUseMarker } from '@raft/storage-kit';

/** LMDB page size, fixed when an environment is created (see tables.ts). */
export const PAGE_BYTES = 4096;

/**
 * Created once LMDB has first opened the directory: from then on `data.mdb` must exist and hold at
 * least its two meta pages.
 */
export const IN_USE: InUseMarker = {
  name: 'RAFT-STORAGE-LMDB',
  text: 'This directory holds a Raft log and hard state in LMDB (data.mdb). Never delete or edit data.mdb.\n',
};

/**
 * How {@link checkDataFile} looks at the directory: the disk, or in a test a directory that another
 * process changes between two looks.
 */
export interface DataFileProbes {
  isMarkedInUse(dir: string, marker: InUseMarker): Promise<boolean>;
  fileSize(path: string): Promise<number | undefined>;
}

const DISK: DataFileProbes = { isMarkedInUse, fileSize };

/**
 * Checks `data.mdb` before LMDB sees it. LMDB silently starts a new, empty database when the file
 * is missing or empty — a node that had voted would forget its vote — and crashes the process when
 * the file is shorter than its two meta pages. A missing or empty file is fine only in a directory
 * never opened before.
 *
 * @throws StorageCorruptionError if `data.mdb` is cut short, or missing or empty in a directory
 *   that was in use.
 */
export async function checkDataFile(dir: string, probes: DataFileProbes = DISK): Promise<void> {
  const file = join(dir, 'data.mdb');
  // The marker first: another process may be creating the directory right now, and its marker
  // appears only after its meta pages are durable. Sizing the file first could see it still
  // empty, then the marker just written, and call a directory being born a damaged one.
  const inUse = await probes.isMarkedInUse(dir, IN_USE);
  const size = (await probes.fileSize(file)) ?? 0;
  if (size >= 2 * PAGE_BYTES) return;
  if (inUse) {
    throw new StorageCorruptionError(dir, file, `${size === 0 ? 'missing or empty' : `only ${size} bytes, shorter than LMDB's two meta pages`}, but this directory was in use`);
  }
  if (size > 0) {
    throw new Error(
      `${file} is only ${size} bytes, shorter than LMDB's two meta pages: the first open of this directory was cut ` +
        'short, before it held any data. Delete data.mdb and start the node again.',
    );
  }
}
