/**
 * What an operator should do when a data directory is damaged: the node must not start from it,
 * and the safe ways back.
 */
const CORRUPTION_REMEDY =
  'This node cannot safely start from this data directory. Restore the directory from a backup, or ' +
  'move it aside and rejoin this node to the cluster as a new, empty member so it catches up from ' +
  'the leader. Do not edit the database by hand: entries it acknowledged would be lost.';

/**
 * The data directory holds something this adapter did not write: a record whose checksum does not
 * match, a damaged LevelDB file, a gap in the log, a snapshot missing chunks. Names the record or
 * file and says what the operator can do.
 */
export class StorageCorruptionError extends Error {
  override readonly name = 'StorageCorruptionError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Which record or file is damaged, e.g. `entry 42`, `hardState record` or a file's path. */
    readonly record: string,
    /** What is wrong. */
    readonly problem: string,
  ) {
    super(`${dir}: ${record}: ${problem}. ${CORRUPTION_REMEDY}`);
  }
}

/** Another process (or another LevelStorage in this one) has the data directory open. */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Process id of the owner, when it could be found (from `/proc/locks`, on Linux). */
    readonly pid: number | undefined,
  ) {
    super(
      pid === process.pid
        ? `data directory ${dir} is already open in this process (pid ${pid}); close the other LevelStorage first`
        : `data directory ${dir} is in use by ${pid === undefined ? 'another process' : `process ${pid}`}; stop that process, or give this node ` +
            `its own directory. LevelDB's lock on ${dir}/LOCK is released when the process exits, however it exits.`,
    );
  }
}

/**
 * LevelDB failed to open the directory or to write (I/O error, disk full, permissions). The node
 * already counted on the failed write, so the storage refuses every further call; restart the node
 * and it reads back exactly what is durable.
 */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
  constructor(dir: string, action: string, cause: unknown) {
    super(
      `${action} in ${dir} failed (${describe(cause)}); fix the disk (space, permissions, ` +
        'hardware) and restart the node: it reads back exactly what was durable.',
      { cause },
    );
  }
}

/** An error's message, with the message of its cause (classic-level wraps LevelDB's status). */
export function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string } } | undefined;
  const own = e?.message ?? String(error);
  return e?.cause?.message ? `${own}: ${e.cause.message}` : own;
}

/**
 * The data directory holds a LevelStorage on-disk format this version does not read: written by
 * another version of `@raft/storage-level`. Nothing was changed in the directory.
 */
export class StorageFormatError extends Error {
  override readonly name = 'StorageFormatError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** The format found (1 for the unversioned format that stored one value per entry). */
    readonly found: number,
    /** The format this version reads and writes. */
    readonly supported: number,
  ) {
    super(
      `data directory ${dir} holds LevelStorage on-disk format ${found}, but this version of @raft/storage-level reads only format ${supported}. ` +
        'Open it with the version that wrote it, or move it aside and rejoin this node to the cluster as a new, empty member so it catches up from the leader.',
    );
  }
}
