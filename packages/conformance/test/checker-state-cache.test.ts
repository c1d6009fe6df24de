import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearizedSet } from '../src/checker/linearized-set.js';
import { StateCache } from '../src/checker/state-cache.js';

/**
 * The cache stores only each set's window, so it must still tell every pair of different sets
 * apart and recognise every repeat: checked against plain JavaScript sets.
 */
describe('StateCache with LinearizedSet windows', () => {
  it('recognises exactly the configurations seen before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.nat(199), { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(199), fc.nat(3)), { minLength: 1, maxLength: 3000 }),
        (size, baseline, toggles) => {
          const set = new LinearizedSet(size);
          const members = new Set<number>();
          for (const index of baseline) {
            if (index < size && !members.has(index)) {
              set.add(index);
              members.add(index);
            }
          }
          set.takeAsBaseline();
          const cache = new StateCache();
          const seen = new Set<string>();
          for (const [raw, state] of toggles) {
            const index = raw % size;
            if (members.has(index)) {
              set.delete(index);
              members.delete(index);
            } else {
              set.add(index);
              members.add(index);
            }
            const key = `${state}:${[...members].sort((a, b) => a - b).join(',')}`;
            // A deliberately poor hash, so that distinct configurations collide and must be compared.
            expect(cache.add(set.hash & 7, set, state)).toBe(!seen.has(key));
            seen.add(key);
          }
          expect(cache.size).toBe(seen.size);
        },
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it('keeps a window no wider than the span between the first gap and the last change', () => {
    const set = new LinearizedSet(32 * 100);
    for (let i = 0; i < 32 * 50; i++) set.add(i);
    set.add(32 * 80);
    set.takeAsBaseline();
    expect(set.windowLength()).toBe(0);
    set.delete(32 * 10);
    set.add(32 * 60);
    expect(set.lowWord).toBe(10);
    expect(set.highWord).toBe(60);
    set.add(32 * 10);
    expect(set.lowWord).toBe(50);
  });
});
