import type { LinearizedSet } from './linearized-set.js';

const INITIAL_CAPACITY = 1024;

/**
 * The configurations the search has already reached: (set of settled operations, register state).
 * Reaching one again by a different order leads nowhere new, so the search prunes it.
 *
 * An open-addressing hash table over typed arrays: each configuration costs its set's window (see
 * {@link LinearizedSet}) and five integers, with no object per entry, so millions fit and the
 * garbage collector stays idle. Lookups compare hash, state and window, so collisions cost time,
 * never correctness.
 */
export class StateCache {
  /** How many configurations are stored. */
  size = 0;
  /** Windows of all entries, back to back. */
  private pool = new Uint32Array(INITIAL_CAPACITY);
  private poolUsed = 0;
  private offsets = new Int32Array(INITIAL_CAPACITY);
  private lowWords = new Int32Array(INITIAL_CAPACITY);
  private lengths = new Int32Array(INITIAL_CAPACITY);
  private states = new Int32Array(INITIAL_CAPACITY);
  private hashes = new Int32Array(INITIAL_CAPACITY);
  /** Open-addressing slots, at most half full: 0 when empty, else entry index + 1. */
  private slots = new Int32Array(INITIAL_CAPACITY * 2);

  /**
   * Records the configuration unless already present.
   * @param hash - a well-mixed hash of `settled` and `state` together
   * @returns whether it was new
   */
  add(hash: number, settled: LinearizedSet, state: number): boolean {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      const i = entry - 1;
      if (
        this.hashes[i] === hash &&
        this.states[i] === state &&
        settled.windowEquals(this.lowWords[i]!, this.lengths[i]!, this.pool, this.offsets[i]!)
      ) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    this.append(hash, settled, state);
    this.slots[slot] = this.size;
    if (this.size * 2 > this.slots.length) this.growSlots();
    return true;
  }

  private append(hash: number, settled: LinearizedSet, state: number): void {
    if (this.size === this.states.length) this.growEntries();
    const length = settled.windowLength();
    if (this.poolUsed + length > this.pool.length) {
      this.pool = grown(this.pool, Math.max(this.pool.length * 2, this.poolUsed + length));
    }
    const i = this.size++;
    this.hashes[i] = hash;
    this.states[i] = state;
    this.lowWords[i] = settled.lowWord;
    this.lengths[i] = length;
    this.offsets[i] = this.poolUsed;
    settled.copyWindow(this.pool, this.poolUsed);
    this.poolUsed += length;
  }

  private growEntries(): void {
    const capacity = this.states.length * 2;
    this.offsets = grown(this.offsets, capacity);
    this.lowWords = grown(this.lowWords, capacity);
    this.lengths = grown(this.lengths, capacity);
    this.states = grown(this.states, capacity);
    this.hashes = grown(this.hashes, capacity);
  }

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

/** A copy of `array` with room for `capacity` elements. */
function grown<T extends Int32Array | Uint32Array>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array);
  return copy;
}
