import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import type { SnapshotMeta, StoredSnapshot } from '@raft/core';
import { StorageCorruptionError } from './errors.js';
import { syncDirectory } from '@raft/storage-kit';
import { snapshotName, type SnapshotFile } from './layout.js';

/**
 * Snapshot file format:
 *
 * ```
 * "RAFTSNP1" | u32 metaLength | u32 crc32c(meta) | meta (JSON, UTF-8) | data
 *   | u32 dataLength low | u32 dataLength high | u32 crc32c(data) | u32 crc32c(previous 12 bytes)
 * ```
 *
 * The data's length and checksum go in a trailer because the data is streamed in and its size is
 * not known up front. The metadata is small and read once, so JSON keeps it inspectable.
 */
const MAGIC = Buffer.from('RAFTSNP1', 'latin1');
const HEADER_FIXED = MAGIC.length + 8;
const TRAILER_BYTES = 16;
const READ_CHUNK = 1 << 20;

/** A validated snapshot file. */
interface SnapshotInfo {
  readonly meta: SnapshotMeta;
  readonly path: string;
  readonly dataOffset: number;
  readonly size: number;
  readonly crc: number;
}

/**
 * The snapshot of a data directory: written to a temporary file, fdatasync'd, renamed into place,
 * directory fsync'd; then the older snapshot is removed. Only the newest is kept.
 */
export class SnapshotStore {
  private readonly readers = new Set<FileHandle>();

  private constructor(
    private readonly dir: string,
    private current: SnapshotInfo | undefined,
  ) {}

  /**
   * Opens the newest snapshot file, checking every byte, and removes older ones (left over by a
   * crash between installing a new snapshot and removing the old one).
   *
   * @throws StorageCorruptionError if the newest snapshot does not read back intact.
   */
  static async load(dir: string, files: readonly SnapshotFile[]): Promise<SnapshotStore> {
    const newest = files.at(-1);
    const current = newest ? await validate(newest) : undefined;
    for (const old of files.slice(0, -1)) await unlink(old.path);
    return new SnapshotStore(dir, current);
  }

  get meta(): SnapshotMeta | undefined {
    return this.current?.meta;
  }

  /** Durably stores a snapshot, replacing the current one. */
  async write(meta: SnapshotMeta, data: AsyncIterable<Uint8Array>): Promise<void> {
    const name = snapshotName(meta.index, meta.term);
    const path = join(this.dir, name);
    const temp = `${path}.tmp`;
    const metaBytes = Buffer.from(JSON.stringify(meta), 'utf8');
    const header = Buffer.alloc(HEADER_FIXED);
    MAGIC.copy(header);
    header.writeUInt32LE(metaBytes.length, MAGIC.length);
    header.writeUInt32LE(crc32c(metaBytes), MAGIC.length + 4);
    let size = 0;
    let crc = 0;
    const handle = await open(temp, 'w');
    try {
      await handle.writev([header, metaBytes]);
      for await (const chunk of data) {
        await handle.write(chunk);
        crc = crc32c(chunk, crc);
        size += chunk.length;
      }
      await handle.write(trailer(size, crc));
      await handle.datasync();
    } catch (e) {
      // The data source or the disk failed: leave no half-written snapshot behind.
      await handle.close();
      await unlink(temp);
      throw e;
    }
    await handle.close();
    await rename(temp, path);
    await syncDirectory(this.dir);
    const previous = this.current;
    this.current = { meta, path, dataOffset: HEADER_FIXED + metaBytes.length, size, crc };
    if (previous && previous.path !== path) {
      await unlink(previous.path);
      await syncDirectory(this.dir);
    }
  }

  /** The current snapshot, readable as a stream (verified against its checksum as it is read). */
  stored(): StoredSnapshot | undefined {
    const info = this.current;
    if (!info) return undefined;
    return { meta: info.meta, size: info.size, read: () => this.stream(info) };
  }

  /** Closes any stream still reading. */
  async close(): Promise<void> {
    for (const handle of this.readers) await handle.close();
    this.readers.clear();
  }

  private async *stream(info: SnapshotInfo): AsyncGenerator<Uint8Array> {
    let handle: FileHandle;
    try {
      handle = await open(info.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new Error(`snapshot ${info.meta.index} (${info.path}) was replaced by a newer snapshot; call readSnapshot() again`);
    }
    this.readers.add(handle);
    try {
      let crc = 0;
      for (let at = 0; at < info.size; ) {
        const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, info.size - at));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, info.dataOffset + at);
        if (bytesRead === 0) throw new StorageCorruptionError(info.path, info.dataOffset + at, 'the snapshot file ends early');
        const got = chunk.subarray(0, bytesRead);
        crc = crc32c(got, crc);
        at += bytesRead;
        yield got;
      }
      if (crc !== info.crc) throw new StorageCorruptionError(info.path, info.dataOffset, 'snapshot data checksum mismatch');
    } finally {
      this.readers.delete(handle);
      await handle.close();
    }
  }
}

function trailer(size: number, crc: number): Buffer {
  const buf = Buffer.allocUnsafe(TRAILER_BYTES);
  buf.writeUInt32LE(size >>> 0, 0);
  buf.writeUInt32LE(Math.floor(size / 0x1_0000_0000), 4);
  buf.writeUInt32LE(crc, 8);
  buf.writeUInt32LE(crc32c(buf.subarray(0, 12)), 12);
  return buf;
}

/** Reads and checks a whole snapshot file. */
async function validate(file: SnapshotFile): Promise<SnapshotInfo> {
  const fail = (offset: number, problem: string): never => {
    throw new StorageCorruptionError(file.path, offset, problem);
  };
  const handle = await open(file.path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    if (fileSize < HEADER_FIXED + TRAILER_BYTES) fail(0, `the snapshot file is only ${fileSize} bytes`);
    const header = Buffer.alloc(HEADER_FIXED);
    await handle.read(header, 0, HEADER_FIXED, 0);
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) fail(0, 'not a snapshot file (bad magic)');
    const metaLength = header.readUInt32LE(MAGIC.length);
    const dataOffset = HEADER_FIXED + metaLength;
    if (dataOffset + TRAILER_BYTES > fileSize) fail(MAGIC.length, `metadata length ${metaLength} runs past the end of the file`);
    const metaBytes = Buffer.alloc(metaLength);
    await handle.read(metaBytes, 0, metaLength, HEADER_FIXED);
    if (crc32c(metaBytes) !== header.readUInt32LE(MAGIC.length + 4)) fail(HEADER_FIXED, 'snapshot metadata checksum mismatch');
    const meta = JSON.parse(metaBytes.toString('utf8')) as SnapshotMeta;
    if (meta.index !== file.index || meta.term !== file.term) {
      fail(HEADER_FIXED, `the metadata says index ${meta.index} term ${meta.term}, the file name index ${file.index} term ${file.term}`);
    }
    const tail = Buffer.alloc(TRAILER_BYTES);
    const trailerOffset = fileSize - TRAILER_BYTES;
    await handle.read(tail, 0, TRAILER_BYTES, trailerOffset);
    if (crc32c(tail.subarray(0, 12)) !== tail.readUInt32LE(12)) fail(trailerOffset, 'snapshot trailer checksum mismatch');
    const size = tail.readUInt32LE(0) + tail.readUInt32LE(4) * 0x1_0000_0000;
    if (dataOffset + size !== trailerOffset) fail(trailerOffset, `the trailer says ${size} data bytes, the file holds ${trailerOffset - dataOffset}`);
    const crc = tail.readUInt32LE(8);
    let actual = 0;
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(size, 1)));
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - at), dataOffset + at);
      if (bytesRead === 0) fail(dataOffset + at, 'the snapshot file ends early');
      actual = crc32c(chunk.subarray(0, bytesRead), actual);
      at += bytesRead;
    }
    if (actual !== crc) fail(dataOffset, 'snapshot data checksum mismatch');
    return { meta, path: file.path, dataOffset, size, crc };
  } finally {
    await handle.close();
  }
}
