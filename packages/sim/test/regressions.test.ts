import { describe, expect, it } from 'vitest';
import { simulate } from '../src/index.js';

/**
 * Seeds that once failed, pinned with the bug they exposed. Each must now run clean: every
 * invariant after every step, and recovery once the faults heal.
 */
describe('regression seeds', () => {
  it('seed 14 on 3 nodes: a two-voter configuration committed with one acknowledgement (majority of an even voter set)', () => {
    expect(simulate({ seed: 14, nodes: 3, steps: 2000 }).liveness).toBeDefined();
  });

  it('seed 2 on 3 nodes: installing a snapshot counted the entries it covers as replaced committed entries (simulator)', () => {
    expect(simulate({ seed: 2, nodes: 3, steps: 2000 }).liveness).toBeDefined();
  });

  it('seed 151 on 3 nodes: a removed leader stepped down with a longer log than its successors, who still needed its vote', () => {
    expect(simulate({ seed: 151, nodes: 3, steps: 2000 }).liveness).toBeDefined();
  });

  it('seed 2512 on 3 nodes: a leader kept refusing proposals after the change that would have removed it was skipped', () => {
    expect(simulate({ seed: 2512, nodes: 3, steps: 2000 }).liveness).toBeDefined();
  });

  it('seed 127 on 3 nodes: a candidate below the term of the only node it could get a vote from was ignored by it forever', () => {
    expect(simulate({ seed: 127, nodes: 3, steps: 2000 }).liveness).toBeDefined();
  });

  it('seeds 315190, 318069, 318854, 324135 and 331623 on 3 nodes: without pre-vote, hopeless candidates kept restarting the election timer of the only node that could win', () => {
    for (const seed of [315190, 318069, 318854, 324135, 331623]) {
      expect(simulate({ seed, nodes: 3, steps: 3000 }).liveness, `seed ${seed}`).toBeDefined();
    }
  });

  it('seeds 302865 and 315414 on 3 nodes: a removed leader with a longer log refused the votes that the others, not knowing its removal was committed, still needed', () => {
    for (const seed of [302865, 315414]) {
      expect(simulate({ seed, nodes: 3, steps: 3000 }).liveness, `seed ${seed}`).toBeDefined();
    }
  });

  it('seeds 309058 and 314939 on 5 nodes: a candidate that learned from a refusal that its removal was committed went on to win without being a member (a first version of that learning)', () => {
    for (const seed of [309058, 314939]) {
      expect(simulate({ seed, nodes: 5, steps: 3000 }).liveness, `seed ${seed}`).toBeDefined();
    }
  });

  it('seed 1919 on 5 nodes: the liveness probe of a deposed leader was waited for forever (simulator)', () => {
    expect(simulate({ seed: 1919, nodes: 5, steps: 2000 }).liveness).toBeDefined();
  });
});
