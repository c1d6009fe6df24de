import type { Entry, EntryType, HardState } from '@raft/core';

/**
 * The records inside a frame body, back to back. Each starts with a one-byte kind:
 *
 * - `1` segment header: u8 format version, u64 segment sequence, u64 index of the last log entry
 *   before this segment, then the hard state in force (u64 term, u64 vote, u64 commit). First record
 *   of every segment, so that deleting older segments never loses the hard state or the position.
 * - `2` entry: u8 entry type, u64 term, u64 index, u32 data length, data.
 * - `3` hard state: u64 term, u64 vote, u64 commit.
 * - `4` reset: u64 index, u64 term. The log was replaced by an installed snapshot at `index`;
 *   entries continue at `index + 1`.
 *
 * u64s are written as two little-endian u32s (low, high): indexes are JavaScript safe integers.
 */
export const RecordKind = { SegmentHeader: 1, Entry: 2, HardState: 3, Reset: 4 } as const;

/** On-disk format version written in every segment header. */
export const FORMAT_VERSION = 1;

const SEGMENT_HEADER_BYTES = 1 + 1 + 8 + 8 + 24;
const ENTRY_FIXED_BYTES = 1 + 1 + 8 + 8 + 4;
const HARD_STATE_BYTES = 1 + 24;
const RESET_BYTES = 1 + 16;

export interface SegmentHeader {
  readonly seq: number;
  readonly prevIndex: number;
  readonly hardState: HardState;
}

/** A decoded record. Entry data is copied out of the frame body. */
export type WalRecord =
  | { readonly kind: 'segment'; readonly header: SegmentHeader }
  | { readonly kind: 'entry'; readonly entry: Entry }
  | { readonly kind: 'hardState'; readonly hardState: HardState }
  | { readonly kind: 'reset'; readonly index: number; readonly term: number };

function writeU64(buf: Buffer, offset: number, value: number): number {
  buf.writeUInt32LE(value >>> 0, offset);
  buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), offset + 4);
  return offset + 8;
}

function readU64(buf: Buffer, offset: number): number {
  return buf.readUInt32LE(offset) + buf.readUInt32LE(offset + 4) * 0x1_0000_0000;
}

function writeHardState(buf: Buffer, offset: number, hs: HardState): number {
  return writeU64(buf, writeU64(buf, writeU64(buf, offset, hs.term), hs.vote), hs.commit);
}

function readHardState(buf: Buffer, offset: number): HardState {
  return { term: readU64(buf, offset), vote: readU64(buf, offset + 8), commit: readU64(buf, offset + 16) };
}

/** Encodes a segment header record. */
export function encodeSegmentHeader(header: SegmentHeader): Buffer {
  const buf = Buffer.allocUnsafe(SEGMENT_HEADER_BYTES);
  buf[0] = RecordKind.SegmentHeader;
  buf[1] = FORMAT_VERSION;
  writeHardState(buf, writeU64(buf, writeU64(buf, 2, header.seq), header.prevIndex), header.hardState);
  return buf;
}

/** Encodes a reset record. */
export function encodeReset(index: number, term: number): Buffer {
  const buf = Buffer.allocUnsafe(RESET_BYTES);
  buf[0] = RecordKind.Reset;
  writeU64(buf, writeU64(buf, 1, index), term);
  return buf;
}

/**
 * Encodes the entries and hard state of one `save()` into one buffer, entries first (so that within
 * the batch the hard state follows what it may refer to).
 */
export function encodeSave(entries: readonly Entry[], hardState: HardState | undefined): Buffer {
  let size = hardState ? HARD_STATE_BYTES : 0;
  for (const e of entries) size += ENTRY_FIXED_BYTES + e.data.length;
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const e of entries) {
    body[at] = RecordKind.Entry;
    body[at + 1] = e.type;
    at = writeU64(body, writeU64(body, at + 2, e.term), e.index);
    body.writeUInt32LE(e.data.length, at);
    body.set(e.data, at + 4);
    at += 4 + e.data.length;
  }
  if (hardState) {
    body[at] = RecordKind.HardState;
    writeHardState(body, at + 1, hardState);
  }
  return body;
}

/**
 * Decodes every record of a frame body. Entry data are copied out, so the segment buffer they were
 * read from can be released after recovery.
 *
 * @throws Error naming the record's offset within the body when it is malformed (a checksummed
 *   frame that does not parse was written by another format version or by a bug).
 */
export function decodeRecords(body: Buffer): WalRecord[] {
  const out: WalRecord[] = [];
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length) throw new Error(`record at body offset ${at} is cut short`);
  };
  while (at < body.length) {
    const kind = body[at];
    if (kind === RecordKind.Entry) {
      need(ENTRY_FIXED_BYTES);
      const length = body.readUInt32LE(at + 18);
      need(ENTRY_FIXED_BYTES + length);
      const start = at + ENTRY_FIXED_BYTES;
      const entry: Entry = {
        type: body[at + 1] as EntryType,
        term: readU64(body, at + 2),
        index: readU64(body, at + 10),
        data: new Uint8Array(body.subarray(start, start + length)),
      };
      out.push({ kind: 'entry', entry });
      at = start + length;
    } else if (kind === RecordKind.HardState) {
      need(HARD_STATE_BYTES);
      out.push({ kind: 'hardState', hardState: readHardState(body, at + 1) });
      at += HARD_STATE_BYTES;
    } else if (kind === RecordKind.Reset) {
      need(RESET_BYTES);
      out.push({ kind: 'reset', index: readU64(body, at + 1), term: readU64(body, at + 9) });
      at += RESET_BYTES;
    } else if (kind === RecordKind.SegmentHeader) {
      need(SEGMENT_HEADER_BYTES);
      if (body[at + 1] !== FORMAT_VERSION) {
        throw new Error(`segment format version ${body[at + 1]} is not supported (this build reads version ${FORMAT_VERSION})`);
      }
      const header = { seq: readU64(body, at + 2), prevIndex: readU64(body, at + 10), hardState: readHardState(body, at + 18) };
      out.push({ kind: 'segment', header });
      at += SEGMENT_HEADER_BYTES;
    } else {
      throw new Error(`unknown record kind ${kind} at body offset ${at}`);
    }
  }
  return out;
}
