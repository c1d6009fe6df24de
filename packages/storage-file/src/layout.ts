import { join } from 'node:path';

/**
 * Names of the files in a data directory:
 *
 * - `LOCK`: the pid of the process that has the directory open.
 * - `<20-digit sequence>.wal`: write-ahead log segments, replayed in sequence order.
 * - `snapshot-<20-digit index>-<term>.snap`: the snapshot; only the newest is kept.
 * - `*.tmp`: files being written; removed at recovery.
 */
export const LOCK_FILE = 'LOCK';

const SEGMENT_NAME = /^(\d{20})\.wal$/;
const SNAPSHOT_NAME = /^snapshot-(\d{20})-(\d+)\.snap$/;

export const segmentName = (seq: number): string => `${String(seq).padStart(20, '0')}.wal`;

export const snapshotName = (index: number, term: number): string => `snapshot-${String(index).padStart(20, '0')}-${term}.snap`;

export const isTempFile = (name: string): boolean => name.endsWith('.tmp');

/** A file of the data directory, by kind. */
export interface SegmentFile {
  readonly seq: number;
  readonly path: string;
}
export interface SnapshotFile {
  readonly index: number;
  readonly term: number;
  readonly path: string;
}

/** Sorts a directory listing into segments (by sequence) and snapshots (by index). */
export function classify(dir: string, names: readonly string[]): { segments: SegmentFile[]; snapshots: SnapshotFile[] } {
  const segments: SegmentFile[] = [];
  const snapshots: SnapshotFile[] = [];
  for (const name of names) {
    const seg = SEGMENT_NAME.exec(name);
    if (seg) segments.push({ seq: Number(seg[1]), path: join(dir, name) });
    const snap = SNAPSHOT_NAME.exec(name);
    if (snap) snapshots.push({ index: Number(snap[1]), term: Number(snap[2]), path: join(dir, name) });
  }
  segments.sort((a, b) => a.seq - b.seq);
  snapshots.sort((a, b) => a.index - b.index || a.term - b.term);
  return { segments, snapshots };
}
