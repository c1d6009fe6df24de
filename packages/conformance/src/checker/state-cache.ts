import type { Bitset } from './bitset.js';

interface Configuration {
  readonly linearized: Uint32Array;
  readonly state: number;
}

/**
 * The configurations the search has already reached: (set of linearized operations, register
 * state). Reaching one again by a different order leads nowhere new, so the search prunes it.
 * Keyed by a hash, with every member of a bucket compared in full, so collisions cost time only.
 */
export class StateCache {
  private readonly buckets = new Map<number, Configuration | Configuration[]>();
  /** How many configurations are stored. */
  size = 0;

  /**
   * Records the configuration unless already present.
   * @param hash - a hash of `linearized` and `state` together
   * @returns whether it was new
   */
  add(hash: number, linearized: Bitset, state: number): boolean {
    const bucket = this.buckets.get(hash);
    const fresh = (): Configuration => ({ linearized: linearized.snapshot(), state });
    if (bucket === undefined) {
      this.buckets.set(hash, fresh());
    } else if (Array.isArray(bucket)) {
      if (bucket.some((c) => c.state === state && linearized.equals(c.linearized))) return false;
      bucket.push(fresh());
    } else {
      if (bucket.state === state && linearized.equals(bucket.linearized)) return false;
      this.buckets.set(hash, [bucket, fresh()]);
    }
    this.size += 1;
    return true;
  }
}

/** Scrambles a small integer into 32 well-spread bits (the finaliser of MurmurHash3). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}
