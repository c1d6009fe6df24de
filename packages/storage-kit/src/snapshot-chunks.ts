import { checked } from './checked.js';
import { StorageCorruptionError, StorageFailedError } from './errors.js';
import { decodeChunk, encodeChunk, type SnapshotRecord } from './records.js';

/** Snapshot bytes a write may have in flight at once. */
const STAGING_BYTES = 8 * 1024 * 1024;

/**
 * Cuts a snapshot's data into chunks of `chunkBytes` (the last one may be shorter) and stores each
 * with `put(sequence, value)` as the data streams in. Writes are pipelined — up to
 * {@link STAGING_BYTES} in flight — so that an engine can group the chunks that queue up during one
 * write into the next.
 *
 * @returns the size of the data and the number of chunks.
 * @throws StorageFailedError if a write failed; every write started has finished by then.
 */
export async function stageChunks(
  dir: string,
  chunkBytes: number,
  data: AsyncIterable<Uint8Array>,
  put: (sequence: number, value: Buffer) => Promise<unknown>,
): Promise<{ size: number; chunks: number }> {
  const window = Math.max(1, Math.floor(STAGING_BYTES / chunkBytes));
  const writes: Promise<void>[] = [];
  let failure: unknown;
  let chunks = 0;
  let size = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    // Every write gets its handler now, so a failure is never an unhandled rejection.
    const write = put(chunks++, encodeChunk(pending)).then(
      () => undefined,
      (e: unknown) => {
        failure ??= e;
      },
    );
    pending = [];
    pendingBytes = 0;
    writes.push(write);
    if (writes.length >= window) await writes.shift();
    if (failure !== undefined) throw new StorageFailedError(dir, 'writing a snapshot chunk', failure);
  };
  try {
    for await (const piece of data) {
      size += piece.length;
      let rest = piece;
      while (pendingBytes + rest.length >= chunkBytes) {
        const take = chunkBytes - pendingBytes;
        pending.push(rest.subarray(0, take));
        rest = rest.subarray(take);
        await flush();
      }
      // Copied: the source may reuse its buffer once it has yielded it.
      if (rest.length > 0) {
        pending.push(rest.slice());
        pendingBytes += rest.length;
      }
    }
    if (pendingBytes > 0) await flush();
  } finally {
    await Promise.all(writes);
  }
  if (failure !== undefined) throw new StorageFailedError(dir, 'writing a snapshot chunk', failure);
  return { size, chunks };
}

/**
 * Streams a snapshot's data from its chunks, checking each one and the total size. `get` reads a
 * chunk (undefined when it is missing; `what` names it for an error). `gone` explains why the
 * snapshot can no longer be read (the storage closed, a newer snapshot replaced it), or returns
 * undefined: a chunk that cannot be read for that reason is no damage.
 *
 * @throws StorageCorruptionError naming the chunk that is missing or fails its check.
 */
export async function* readChunks(
  dir: string,
  record: SnapshotRecord,
  gone: () => string | undefined,
  get: (sequence: number, what: string) => Buffer | undefined | Promise<Buffer | undefined>,
): AsyncGenerator<Uint8Array> {
  const name = `snapshot ${record.meta.index}`;
  const stillReadable = (): void => {
    const why = gone();
    if (why !== undefined) throw new Error(`${name} cannot be read any more: ${why}`);
  };
  let size = 0;
  for (let seq = 0; seq < record.chunks; seq++) {
    stillReadable();
    const what = `${name} chunk ${seq}`;
    let value: Buffer | undefined;
    try {
      value = await get(seq, what);
    } catch (e) {
      stillReadable();
      throw e;
    }
    if (value === undefined) {
      stillReadable();
      throw new StorageCorruptionError(dir, what, `missing (the snapshot has ${record.chunks} chunks)`);
    }
    const bytes = checked(dir, what, () => decodeChunk(value));
    size += bytes.length;
    yield bytes;
  }
  if (size !== record.size) throw new StorageCorruptionError(dir, name, `its chunks hold ${size} bytes, its record says ${record.size}`);
}
