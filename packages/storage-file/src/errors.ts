/**
 * What an operator should do when a data directory is damaged: the node must not start from it,
 * and the safe ways back.
 */
const CORRUPTION_REMEDY =
  'This node cannot safely start from this data directory. Restore the directory from a backup, or ' +
  'move it aside and rejoin this node to the cluster as a new, empty member so it catches up from ' +
  'the leader. Do not delete or truncate the file by hand: entries it acknowledged would be lost.';

/**
 * The data directory is damaged in a way recovery must not repair on its own (anything other than a
 * torn tail of the last segment): a bad checksum mid-log, a missing segment, an unreadable snapshot.
 * Names the file and byte offset, and says what the operator can do.
 */
export class StorageCorruptionError extends Error {
  override readonly name = 'StorageCorruptionError';
  constructor(
    /** Path of the damaged file (or of the directory, for a missing file). */
    readonly file: string,
    /** Byte offset of the damage in `file`, when there is one. */
    readonly offset: number | undefined,
    /** What is wrong. */
    readonly problem: string,
  ) {
    super(`${file}${offset === undefined ? '' : ` at byte ${offset}`}: ${problem}. ${CORRUPTION_REMEDY}`);
  }
}

/** Another process (or this one) already has the data directory open. */
export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  constructor(
    /** The data directory. */
    readonly dir: string,
    /** Process id holding the lock. */
    readonly pid: number,
    /** The lock file. */
    readonly lockFile: string,
  ) {
    super(
      pid === process.pid
        ? `data directory ${dir} is already open in this process (pid ${pid}); close the other FileStorage first`
        : `data directory ${dir} is in use by process ${pid} (lock file ${lockFile}); stop that process, or give ` +
            `this node its own directory. If process ${pid} is not a node using this directory, delete ${lockFile}.`,
    );
  }
}

/**
 * A write to disk failed (I/O error, disk full, failed fsync). After a failed fsync the state of the
 * file is unknown, so the storage refuses every further call; restart the node, and recovery will
 * read back exactly what is durable.
 */
export class StorageFailedError extends Error {
  override readonly name = 'StorageFailedError';
  constructor(file: string, cause: unknown) {
    super(
      `writing ${file} failed (${(cause as Error)?.message ?? String(cause)}); the storage accepts no further ` +
        'calls because the file state after a failed write or fsync is unknown. Fix the disk (space, ' +
        'permissions, hardware) and restart the node: recovery reads back exactly what is durable.',
      { cause },
    );
  }
}
