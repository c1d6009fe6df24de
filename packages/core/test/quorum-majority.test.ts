import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { majorityCommitted } from '../src/quorum/majority.js';

describe('majorityCommitted', () => {
  it('needs both voters of a two-voter configuration (regression: sim seed 14 committed with one)', () => {
    expect(majorityCommitted([1, 2], (id) => (id === 1 ? 58 : 0))).toBe(0);
    expect(majorityCommitted([1, 2, 3, 4], (id) => [0, 9, 9, 3, 0][id]!)).toBe(3);
  });

  it('is the largest index that a majority of voters has acknowledged', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 9 }), (acks) => {
        const voters = acks.map((_, i) => i + 1);
        const result = majorityCommitted(voters, (id) => acks[id - 1]!);
        const holders = (index: number) => acks.filter((a) => a >= index).length;
        const quorum = Math.floor(acks.length / 2) + 1;
        expect(holders(result)).toBeGreaterThanOrEqual(quorum);
        expect(holders(result + 1)).toBeLessThan(quorum);
      }),
    );
  });
});
