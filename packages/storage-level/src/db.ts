import { ClassicLevel } from 'classic-level';
import { DirectoryLockedError, StorageCorruptionError, StorageFailedError, describeError, type DirectoryLock } from '@raft/storage-kit';
import { lockOwner } from './directory.js';

/** The LevelDB database of a data directory: raw byte keys (see keys.ts) and values (records.ts). */
export type Db = ClassicLevel<Buffer, Buffer>;

/** One write of a batch. */
export type Op = { readonly type: 'put'; readonly key: Buffer; readonly value: Buffer } | { readonly type: 'del'; readonly key: Buffer };

/** How LevelDB keeps the directory to one process, for a {@link DirectoryLockedError}. */
const lock = (dir: string): DirectoryLock => ({ storage: 'LevelStorage', releasedOnExit: `LevelDB's lock on ${dir}/LOCK` });

/** classic-level's error codes; LevelDB's own status is the `cause` of a failed open. */
function codeOf(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/**
 * Opens LevelDB in `dir`. `create` is false for a directory that was in use: LevelDB must not
 * start a new, empty database there.
 *
 * @throws DirectoryLockedError if another process, or another database object in this one, holds
 *   LevelDB's lock on the directory.
 * @throws StorageCorruptionError if LevelDB finds its files damaged.
 * @throws StorageFailedError if LevelDB cannot open the directory for another reason.
 */
export async function openDb(dir: string, create: boolean): Promise<Db> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  try {
    await db.open({ createIfMissing: create, errorIfExists: false });
    return db;
  } catch (e) {
    throw await openError(dir, e);
  }
}

async function openError(dir: string, error: unknown): Promise<Error> {
  const cause = (error as { cause?: unknown }).cause ?? error;
  if (codeOf(cause) === 'LEVEL_LOCKED') {
    // LevelDB keeps a table of the locks this process holds: "lock …/LOCK: already held by process".
    if (/already held by process/.test(describeError(cause))) return new DirectoryLockedError(dir, process.pid, lock(dir));
    return new DirectoryLockedError(dir, await lockOwner(dir), lock(dir));
  }
  if (codeOf(cause) === 'LEVEL_CORRUPTION') return new StorageCorruptionError(dir, 'LevelDB files', describeError(cause));
  return new StorageFailedError(dir, 'opening the LevelDB database', error);
}

/**
 * Turns an error of a read into the error to throw. LevelDB reports a damaged table file as
 * corruption (`LEVEL_CORRUPTION`), or, when a damaged block handle sends a read to an offset no file
 * can have, as an I/O error `EINVAL` naming the file; anything else is a failure of the disk.
 */
export function readError(dir: string, what: string, error: unknown): Error {
  if (error instanceof StorageCorruptionError) return error;
  const cause = (error as { cause?: unknown }).cause ?? error;
  const message = describeError(error);
  if (codeOf(error) === 'LEVEL_CORRUPTION' || codeOf(cause) === 'LEVEL_CORRUPTION' || /Corruption:/.test(message) || /IO error: .*: Invalid argument/.test(message)) {
    return new StorageCorruptionError(dir, `LevelDB files (reading ${what})`, message);
  }
  return new StorageFailedError(dir, `reading ${what}`, error);
}
