import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Entry, EntryType, HardState } from '@raft/core';
import { StorageCorruptionError, syncDirectory } from '@raft/storage-kit';

/*
 * The log file, `log.jsonl`: one line per durable write, appended and fdatasync'd.
 *
 *   <crc32 of the JSON, 8 hex digits> <JSON record>\n
 *
 * A record carries any of: `r` [index, term] — the log restarts after a snapshot there (an
 * installed snapshot, or the first line of a log rewritten by compaction); `e` — entries
 * [index, term, type, base64 data], which replace any stored suffix from their first index; `h` —
 * the hard state [term, vote, commit]. Within a record they apply in that order. A record with
 * only `i` [index, term] says a leader's snapshot at that position is about to be installed: it is
 * what lets recovery tell a crash in the middle of an install (the snapshot is ahead of the log)
 * from a log file that lost its end (also behind the snapshot, but with no such record). One line is one
 * write: after a crash either all of it is there or none of it, so a hard state never survives
 * without the entries saved with it. JSON keeps the file readable; a production adapter would use
 * a binary format (see @raft/storage-file).
 */

export const LOG_FILE = 'log.jsonl';

/** One line of the log file. */
export interface LogRecord {
  readonly r?: readonly [index: number, term: number];
  readonly e?: ReadonlyArray<readonly [index: number, term: number, type: number, data: string]>;
  readonly h?: readonly [term: number, vote: number, commit: number];
  readonly i?: readonly [index: number, term: number];
}

export function encodeRecord(record: LogRecord): Buffer {
  const json = JSON.stringify(record);
  return Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} ${json}\n`, 'latin1');
}

export function recordOf(update: { readonly entries?: readonly Entry[]; readonly hardState?: HardState }, restart?: readonly [number, number]): LogRecord {
  const { entries, hardState } = update;
  return {
    ...(restart && { r: restart }),
    ...(entries?.length && { e: entries.map((e) => [e.index, e.term, e.type, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('base64')] as const) }),
    ...(hardState && { h: [hardState.term, hardState.vote, hardState.commit] as const }),
  };
}

export function entriesOf(record: LogRecord): Entry[] {
  return (record.e ?? []).map(([index, term, type, data]) => ({ index, term, type: type as EntryType, data: new Uint8Array(Buffer.from(data, 'base64')) }));
}

/** A line's record, or `undefined` when the line is not one this file format wrote intact. */
function parseLine(line: string): LogRecord | undefined {
  const match = /^([0-9a-f]{8}) (\{.*\})$/.exec(line);
  if (!match || Number.parseInt(match[1]!, 16) !== crc32(match[2]!)) return undefined;
  return JSON.parse(match[2]!) as LogRecord;
}

/** What recovery found in the log file. */
export interface RecoveredLog {
  readonly records: LogRecord[];
  /** Bytes cut off the end: a line torn by a crash while it was being written. */
  readonly tornBytes: number;
}

/**
 * Reads every record. An invalid line at the end with no intact record anywhere after it is the
 * write that was in flight at a crash: it is cut off (truncate + fdatasync). Any other invalid
 * line is damage, and recovery stops rather than drop acknowledged writes.
 * @throws StorageCorruptionError
 */
export async function recoverLog(dir: string): Promise<RecoveredLog> {
  const path = join(dir, LOG_FILE);
  await rm(`${path}.tmp`, { force: true }); // a rewrite interrupted by a crash; the old file is whole
  const text = await readFile(path, 'latin1').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const record = end === -1 ? undefined : parseLine(text.slice(pos, end));
    if (!record) break;
    records.push(record);
    pos = end + 1;
  }
  if (pos === text.length) return { records, tornBytes: 0 };
  // Is there an intact record after the bad one? Then this is no torn write.
  const start = /[0-9a-f]{8} \{/g;
  start.lastIndex = pos + 1;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const end = text.indexOf('\n', m.index);
    if (parseLine(text.slice(m.index, end === -1 ? undefined : end))) {
      throw new StorageCorruptionError(path, pos, 'the record is damaged, and intact records follow it');
    }
  }
  const file = await open(path, 'r+');
  try {
    await file.truncate(pos);
    await file.datasync();
  } finally {
    await file.close();
  }
  return { records, tornBytes: text.length - pos };
}

/** Opens the log file for appending, creating it (durably) if needed. */
export async function openForAppend(dir: string): Promise<FileHandle> {
  const handle = await open(join(dir, LOG_FILE), 'a');
  await syncDirectory(dir);
  return handle;
}

/** Replaces the whole log file by `record`, durably and atomically; returns the new append handle. */
export async function rewriteLog(dir: string, record: LogRecord): Promise<FileHandle> {
  const path = join(dir, LOG_FILE);
  const temp = await open(`${path}.tmp`, 'w');
  try {
    await temp.write(encodeRecord(record));
    await temp.datasync();
  } finally {
    await temp.close();
  }
  await rename(`${path}.tmp`, path);
  await syncDirectory(dir);
  return open(path, 'a');
}
