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
