import { seededRandom } from '@raft/core';

/**
 * Mixes a seed with a stream number into an independent seed, so each consumer of randomness
 * (scheduler, network, every node incarnation) draws from its own stream: a change in how much
 * one of them draws does not shift what the others see.
 */
export function deriveSeed(seed: number, ...stream: number[]): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const s of stream) {
    h = Math.imul(h ^ (s + 0x632be5ab), 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return Math.imul(h ^ (h >>> 13), 0x27d4eb2f) >>> 0;
}

/** A seeded random stream with the draws a simulation needs. */
export class SimRandom {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A uniform integer in `[0, bound)`. */
  int(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** A uniform number in `[lo, hi)`. */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** The items in a uniformly random order (a new array). */
  shuffle<T>(items: readonly T[]): T[] {
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return shuffled;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}
