import { expect } from 'vitest';
import type { Entry } from '@raft/core';
import { sameBytes } from './fixtures.js';

/** Describes an entry briefly for a failure message. */
function describeEntry(e: Entry | undefined): string {
  return e === undefined ? 'nothing' : `{index ${e.index}, term ${e.term}, type ${e.type}, ${e.data.length} bytes}`;
}

/**
 * Asserts `actual` holds exactly `expected` (index, term, type and every data byte), whatever
 * byte-array class the adapter returns its data in.
 */
export function expectEntries(actual: readonly Entry[], expected: readonly Entry[]): void {
  expect(actual.map((e) => e.index), 'entry indexes').toEqual(expected.map((e) => e.index));
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const x = expected[i];
    const same =
      a !== undefined && x !== undefined && a.term === x.term && a.type === x.type && sameBytes(a.data, x.data);
    expect(same, `entry #${i}: got ${describeEntry(a)}, expected ${describeEntry(x)}`).toBe(true);
  }
}
