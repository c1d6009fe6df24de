import type { Bitset } from './bitset.js';

const INITIAL_CAPACITY = 1024;

/**
 * The configurations the search has already reached: (set of linearized operations, register
 * state). Reaching one again by a different order leads nowhere new, so the search prunes it.
 *
 * An open-addressing hash table over typed arrays: each configuration costs its bitset's words
 * and two integers, with no object per entry, so millions fit and the garbage collector stays
 * idle. Lookups compare hash, state and bitset, so collisions cost time, never correctness.
 */
export class StateCache {
  /** How many configurations are stored. */
  size = 0;
  private readonly words: number;
  /** Bitset words of entry `i` at `[i * words, (i + 1) * words)`. */
  private pool: Uint32Array;
  private states: Int32Array;
  private hashes: Int32Array;
  /** Open-addressing slots: 0 when empty, else entry index + 1. */
  private slots: Int32Array;

  /** @param bitsetWords - the length of `Bitset.words` for every configuration */
  constructor(bitsetWords: number) {
    this.words = bitsetWords;
    this.pool = new Uint32Array(INITIAL_CAPACITY * bitsetWords);
    this.states = new Int32Array(INITIAL_CAPACITY);
    this.hashes = new Int32Array(INITIAL_CAPACITY);
    this.slots = new Int32Array(INITIAL_CAPACITY * 2);
  }

  /**
   * Records the configuration unless already present.
   * @param hash - a well-mixed hash of `linearized` and `state` together
   * @returns whether it was new
   */
  add(hash: number, linearized: Bitset, state: number): boolean {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      const i = entry - 1;
      if (this.hashes[i] === hash && this.states[i] === state && linearized.equalsAt(this.pool, i * this.words)) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    if (this.size === this.states.length) this.growEntries();
    const i = this.size++;
    this.hashes[i] = hash;
    this.states[i] = state;
    linearized.copyTo(this.pool, i * this.words);
    this.slots[slot] = i + 1;
    if (this.size * 2 > this.slots.length) this.growSlots();
    return true;
  }

  private growEntries(): void {
    const capacity = this.states.length * 2;
    const pool = new Uint32Array(capacity * this.words);
    pool.set(this.pool);
    this.pool = pool;
    const states = new Int32Array(capacity);
    states.set(this.states);
    this.states = states;
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  /** Doubles the slot table, keeping it at most half full so that probe chains stay short. */
  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.size; i++) {
      let slot = this.hashes[i]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
  }
}

/** Scrambles a small integer into 32 well-spread bits (the finaliser of MurmurHash3). */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}
