import { open } from 'node:fs/promises';

/** The data directory holds something this storage did not write: it refuses to guess. */
export class CorruptionError extends Error {
  override readonly name = 'CorruptionError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `${file}: ${problem}. The data directory is damaged; restore it from a backup, or move it aside and ` +
        'rejoin this machine as a new, empty member under a new id',
    );
  }
}

/** Makes a file's creation, rename or removal in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
