import type { HardState, PersistedState } from '@raft/core';
import type { CrashOp } from './crash-protocol.js';

/**
 * The logical content of a storage in the crash workload: entry bytes are implied by (index, term)
 * (see `testEntry`), so the terms after the snapshot describe the log exactly.
 */
export interface CrashState {
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  /** Term of each entry after the snapshot: `terms[i]` is the term at `snapshotIndex + 1 + i`. */
  readonly terms: readonly number[];
  readonly hardState: HardState;
}

/** The state of a storage that was never written. */
export const emptyCrashState: CrashState = {
  snapshotIndex: 0,
  snapshotTerm: 0,
  terms: [],
  hardState: { term: 0, vote: 0, commit: 0 },
};

export const lastIndexOf = (s: CrashState): number => s.snapshotIndex + s.terms.length;

/** Term at `index`, or `undefined` outside [snapshotIndex, lastIndex]. */
export function termAt(s: CrashState, index: number): number | undefined {
  if (index === s.snapshotIndex) return s.snapshotTerm;
  return s.terms[index - s.snapshotIndex - 1];
}

/**
 * The state after `op` completed. With `entryPrefix`, only that many of a save's entries reached
 * the disk, and not its hard state (a crash in the middle of the save).
 */
export function apply(s: CrashState, op: CrashOp, entryPrefix?: number): CrashState {
  if (op.kind === 'snapshot') {
    return { ...s, snapshotIndex: op.index, snapshotTerm: op.term, terms: s.terms.slice(op.index - s.snapshotIndex) };
  }
  if (op.kind === 'install') return { ...s, snapshotIndex: op.index, snapshotTerm: op.term, terms: [] };
  const count = entryPrefix ?? op.to - op.from + 1;
  const terms = count > 0 ? [...s.terms.slice(0, op.from - s.snapshotIndex - 1), ...Array<number>(count).fill(op.term)] : s.terms;
  return { ...s, terms, hardState: entryPrefix === undefined && op.hardState ? op.hardState : s.hardState };
}

/**
 * States a crash may legitimately leave behind when `pending` operations were in flight (in call
 * order): the acknowledged state with a prefix of `pending` applied, where the last applied save
 * may have only some of its entries and no hard state (entries are made durable before the hard
 * state, and a crash may land between them).
 */
export function allowedAfterCrash(acked: CrashState, pending: readonly CrashOp[]): CrashState[] {
  const out = [acked];
  let s = acked;
  for (const op of pending) {
    if (op.kind === 'save') for (let k = 1; k <= op.to - op.from + 1; k++) out.push(apply(s, op, k));
    s = apply(s, op);
    out.push(s);
  }
  return out;
}

/** Describes `s` briefly for failure messages. */
export function describeState(s: CrashState): string {
  const last = lastIndexOf(s);
  const tail = s.terms.length > 0 ? `, term of last entry ${s.terms.at(-1)}` : '';
  return `snapshot ${s.snapshotIndex}@${s.snapshotTerm}, entries ${s.snapshotIndex + 1}..${last}${tail}, hard state ${JSON.stringify(s.hardState)}`;
}

/** Equality of two crash states. */
export function sameState(a: CrashState, b: CrashState): boolean {
  return (
    a.snapshotIndex === b.snapshotIndex &&
    a.snapshotTerm === b.snapshotTerm &&
    a.hardState.term === b.hardState.term &&
    a.hardState.vote === b.hardState.vote &&
    a.hardState.commit === b.hardState.commit &&
    a.terms.length === b.terms.length &&
    a.terms.every((t, i) => t === b.terms[i])
  );
}

/** The crash state a storage loaded (entry bytes are checked separately). */
export function fromPersisted(p: PersistedState): CrashState {
  return {
    snapshotIndex: p.snapshot?.index ?? 0,
    snapshotTerm: p.snapshot?.term ?? 0,
    terms: p.entries.map((e) => e.term),
    hardState: p.hardState,
  };
}
