import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageCorruptionError } from '@raft/storage-kit';

/**
 * Checks LevelDB's write-ahead logs (`NNNNNN.log`) before LevelDB replays them.
 *
 * LevelDB replays a log with `paranoid_checks` off (classic-level does not expose the option): a
 * record whose checksum fails is dropped, with the rest of its 32 KiB block, and replay goes on —
 * acknowledged writes would silently be gone. Only the end of a log may legitimately be damaged
 * (a write in flight when the machine lost power, never acknowledged), so a bad record is accepted
 * only if no intact record follows it anywhere in the file.
 *
 * The log format (LevelDB's `doc/log_format.md`): 32 KiB blocks of records, each a 7-byte header
 * — masked CRC-32C of type and payload (u32 little-endian), payload length (u16 LE), type (1 full,
 * 2 first, 3 middle, 4 last fragment) — and its payload; a block's last < 7 bytes are zero padding.
 *
 * @throws StorageCorruptionError naming the log file and the damaged offset.
 */
export async function checkLogs(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => /^\d+\.log$/.test(name)).sort();
  for (const name of names) {
    const file = join(dir, name);
    const problem = findDamage(await readFile(file));
    if (problem !== undefined) throw new StorageCorruptionError(dir, file, problem);
  }
}

const BLOCK = 32 * 1024;
const HEADER = 7;
const LAST_TYPE = 4;

/** Why `log` is damaged before its end, or undefined if it is intact (but for a torn tail). */
export function findDamage(log: Uint8Array): string | undefined {
  const buf = Buffer.from(log.buffer, log.byteOffset, log.byteLength);
  let at = 0;
  while (at < buf.length) {
    const left = BLOCK - (at % BLOCK);
    if (left < HEADER) {
      at += left; // block trailer
      continue;
    }
    if (buf.length - at < HEADER) return undefined; // a header cut short at the end: a torn write
    const length = buf.readUInt16LE(at + 4);
    const type = buf[at + 6]!;
    if (type === 0 && length === 0) {
      // Zeros: space a write had not filled yet. LevelDB skips the rest of the block.
      at += left;
      continue;
    }
    const end = at + HEADER + length;
    if (end > buf.length) return tornUnlessFollowed(buf, at, 'a record runs past the end of the file');
    if (HEADER + length > left) return tornUnlessFollowed(buf, at, `a record's length ${length} runs past its block`);
    if (type < 1 || type > LAST_TYPE) return tornUnlessFollowed(buf, at, `a record of unknown type ${type}`);
    if (maskedCrc(buf, at + 6, end) !== buf.readUInt32LE(at)) return tornUnlessFollowed(buf, at, 'checksum mismatch');
    at = end;
  }
  return undefined;
}

/**
 * A bad record at `bad` is the torn end of the log unless an intact record starts anywhere after
 * it. Every offset is tried, not only where the bad record's length points: that length may be
 * the damaged byte.
 */
function tornUnlessFollowed(buf: Buffer, bad: number, what: string): string | undefined {
  for (let at = bad + 1; at + HEADER <= buf.length; at++) {
    const left = BLOCK - (at % BLOCK);
    if (left < HEADER) continue;
    const length = buf.readUInt16LE(at + 4);
    const type = buf[at + 6]!;
    if (type < 1 || type > LAST_TYPE || HEADER + length > left || at + HEADER + length > buf.length) continue;
    if (maskedCrc(buf, at + 6, at + HEADER + length) === buf.readUInt32LE(at)) {
      return `byte ${bad}: ${what}, but an intact record follows at byte ${at}: the log is damaged, not cut short by a crash`;
    }
  }
  return undefined;
}

/** CRC-32C (Castagnoli), reflected, as LevelDB computes it. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(buf: Uint8Array, from = 0, to = buf.length): number {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = TABLE[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** LevelDB stores CRCs masked (rotated and offset), since it also checksums data holding CRCs. */
function maskedCrc(buf: Uint8Array, from: number, to: number): number {
  const crc = crc32c(buf, from, to);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
