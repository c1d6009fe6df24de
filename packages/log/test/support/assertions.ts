import { expect } from 'vitest';
import { EntryType, type Entry } from '../../src/index.js';
import { commandValue, type Member } from './cluster.js';

/** `committed$` emitted each index once, in order, with none missing since `from`. */
export function expectExactlyOnce(committed: readonly Entry[], from = 1): void {
  const indexes = committed.map((entry) => entry.index);
  expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, i) => from + i));
}

/** The values of the commands among `entries`, in log order. */
export function commandValues(entries: readonly Entry[]): number[] {
  return entries.filter((entry) => entry.type === EntryType.Normal && entry.data.byteLength > 0).map((entry) => commandValue(entry.data));
}

/**
 * Every member emitted each index exactly once, and the logs agree: wherever two members emitted
 * the same index, it is the same entry (Raft's State Machine Safety).
 */
export function expectConsistentLogs(members: readonly Member[]): void {
  const byIndex = new Map<number, Entry>();
  for (const member of members) {
    expectExactlyOnce(member.committed);
    expect(member.stateMachine.values).toEqual(commandValues(member.committed));
    for (const entry of member.committed) {
      const seen = byIndex.get(entry.index);
      if (seen === undefined) byIndex.set(entry.index, entry);
      else expect({ node: member.id, index: entry.index, term: entry.term, data: [...entry.data] }).toEqual({
        node: member.id,
        index: seen.index,
        term: seen.term,
        data: [...seen.data],
      });
    }
  }
}
