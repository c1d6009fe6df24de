import type { HardState } from '@raft/core';

/**
 * The lines a crash child prints on stdout, one per line. Each operation is announced (`try`)
 * before it starts and acknowledged (`ack`) after its promise resolved, so the parent knows, at any
 * kill, the last acknowledged state and the one operation that may have been in flight.
 * `opening` comes before the storage is opened (a kill then lands in recovery), `ready` after load.
 */
export type CrashLine =
  | { readonly kind: 'opening' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'try'; readonly op: CrashOp }
  | { readonly kind: 'ack' };

/** One storage operation of the crash workload. */
export type CrashOp =
  | {
      readonly kind: 'save';
      /** Entries `from..to` (none when `to < from`), all in `term`. */
      readonly from: number;
      readonly to: number;
      readonly term: number;
      readonly hardState: HardState | undefined;
    }
  /** A local snapshot at the commit index, then compaction up to it. */
  | { readonly kind: 'snapshot'; readonly index: number; readonly term: number }
  /** A snapshot from a leader, replacing the whole log. */
  | { readonly kind: 'install'; readonly index: number; readonly term: number };

/** Snapshot size for the snapshot at `index`: deterministic so the parent can check it exactly. */
export function crashSnapshotSize(index: number): number {
  return 1 + ((index * 7919) % 20_000);
}

/** Encodes a line for stdout (without the newline). */
export function formatLine(line: CrashLine): string {
  if (line.kind !== 'try') return line.kind;
  const op = line.op;
  if (op.kind !== 'save') return `try ${op.kind} ${op.index} ${op.term}`;
  const hs = op.hardState ? `${op.hardState.term} ${op.hardState.vote} ${op.hardState.commit}` : '- - -';
  return `try save ${op.from} ${op.to} ${op.term} ${hs}`;
}

/** Decodes a line printed by {@link formatLine}; throws on anything else. */
export function parseLine(text: string): CrashLine {
  const f = text.trim().split(' ');
  if (f[0] === 'opening' || f[0] === 'ready' || f[0] === 'ack') return { kind: f[0] };
  const n = (i: number): number => {
    const v = Number(f[i]);
    if (!Number.isSafeInteger(v)) throw new Error(`crash child printed a malformed line: ${JSON.stringify(text)}`);
    return v;
  };
  if (f[0] === 'try' && (f[1] === 'snapshot' || f[1] === 'install')) {
    return { kind: 'try', op: { kind: f[1], index: n(2), term: n(3) } };
  }
  if (f[0] === 'try' && f[1] === 'save') {
    const hardState = f[5] === '-' ? undefined : { term: n(5), vote: n(6), commit: n(7) };
    return { kind: 'try', op: { kind: 'save', from: n(2), to: n(3), term: n(4), hardState } };
  }
  throw new Error(`crash child printed an unexpected line: ${JSON.stringify(text)}`);
}
