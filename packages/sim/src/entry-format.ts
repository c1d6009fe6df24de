import type { Entry } from '@raft/core';

/** Renders entry data for messages: the simulator's proposals are short ASCII strings. */
export function describeData(data: Uint8Array): string {
  if (data.length === 0) return 'no-op';
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
}

/** Renders an entry as `index/term "data"`. */
export function describeEntry(entry: Entry): string {
  return `${entry.index}/t${entry.term} "${describeData(entry.data)}"`;
}

/** `true` when two entries are the same record: same index, term, type and bytes. */
export function sameEntry(a: Entry, b: Entry): boolean {
  return a === b || (a.index === b.index && a.term === b.term && a.type === b.type && sameBytes(a.data, b.data));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
