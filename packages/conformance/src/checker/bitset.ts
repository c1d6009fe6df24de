/**
 * A fixed-size set of small integers, one bit each, packed in 32-bit words: the search keeps one
 * per explored configuration, so compactness and cheap comparison matter more than anything else.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / 32)));
  }

  set(index: number): void {
    this.words[index >>> 5]! |= 1 << (index & 31);
  }

  clear(index: number): void {
    this.words[index >>> 5]! &= ~(1 << (index & 31));
  }

  /** Copies the set into `pool` at `offset`, to keep while this set keeps changing. */
  copyTo(pool: Uint32Array, offset: number): void {
    pool.set(this.words, offset);
  }

  /** Whether the copy at `offset` in `pool` holds exactly the same members. */
  equalsAt(pool: Uint32Array, offset: number): boolean {
    const own = this.words;
    for (let i = 0; i < own.length; i++) if (own[i] !== pool[offset + i]) return false;
    return true;
  }
}
