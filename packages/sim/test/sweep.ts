import { describe, expect, it } from 'vitest';
import { SimulationFailure, sweep } from '../src/index.js';
import type { SimulationSummary } from '../src/index.js';

/** The CI sweep: seeds 1..SEEDS, 2,000 steps each, in chunks so progress shows. */
export const SEEDS = 500;
export const STEPS = 2_000;
const CHUNK = 100;

/**
 * Declares the sweep for one cluster size: every run must keep every invariant and recover once
 * healed, and the chunk as a whole must have done real work (elections, commits, crashes), so a
 * simulator that stopped exercising the core would fail here rather than pass vacuously.
 */
export function describeSweep(size: number): void {
  describe(`${size}-node clusters`, () => {
    for (let from = 1; from <= SEEDS; from += CHUNK) {
      const to = from + CHUNK - 1;
      it(`seeds ${from}..${to} × ${STEPS} steps keep every invariant and recover after healing`, () => {
        const runs: SimulationSummary[] = [];
        const result = sweep({ from, to, sizes: [size], steps: STEPS, onRun: (r) => void (r instanceof SimulationFailure || runs.push(r)) });
        expect(result.failures.map((f) => f.message)).toEqual([]);
        expect(runs).toHaveLength(CHUNK);
        const total = (pick: (s: SimulationSummary) => number) => runs.reduce((sum, s) => sum + pick(s), 0);
        expect(total((s) => s.leaders)).toBeGreaterThan(2 * CHUNK);
        expect(total((s) => s.committed)).toBeGreaterThan(20 * CHUNK);
        expect(total((s) => s.crashes)).toBeGreaterThan(CHUNK);
        expect(total((s) => s.membershipChanges)).toBeGreaterThan(CHUNK / 2);
        expect(total((s) => s.compactions)).toBeGreaterThan(CHUNK);
        expect(runs.every((s) => s.liveness !== undefined)).toBe(true);
      });
    }
  });
}
