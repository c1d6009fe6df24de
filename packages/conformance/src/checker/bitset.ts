/**
 * A fixed-size set of small integers, one bit each, packed in 32-bit words: the search stores one
 * per explored configuration, so compactness and cheap comparison matter more than anything else.
 */
export class Bitset {
  readonly words: Uint32Array;

  constructor(size: number) {
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  set(index: number): void {
    this.words[index >>> 5]! |= 1 << (index & 31);
  }

  clear(index: number): void {
    this.words[index >>> 5]! &= ~(1 << (index & 31));
  }

  /** A copy of the words, to keep as a snapshot while this set keeps changing. */
  snapshot(): Uint32Array {
    return this.words.slice();
  }

  /** Whether `words` (a snapshot of a set of the same size) holds exactly the same members. */
  equals(words: Uint32Array): boolean {
    const own = this.words;
    for (let i = 0; i < own.length; i++) if (own[i] !== words[i]) return false;
    return true;
  }
}
