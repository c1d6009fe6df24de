import { open } from 'node:fs/promises';

/**
 * fsyncs a directory, making the creation, rename or removal of its entries durable: without it a
 * renamed snapshot or a new segment may vanish after a power cut even though its data was synced.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
