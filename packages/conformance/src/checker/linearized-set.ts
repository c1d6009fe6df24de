import { mix32 } from './hash.js';

const FULL = 0xffffffff;

/**
 * A set of operation indices, one bit each, that also keeps what the search's cache needs cheaply:
 * an order-independent hash, and its window.
 *
 * Operations are numbered in invocation order, and the search settles them roughly in that order,
 * so in practice a set is "everything before some point, a few beyond it, and whatever was settled
 * from the start". Every word below `lowWord` is full, every word above `highWord` equals the
 * baseline (the members settled from the start), so only the window between them has to be
 * stored to tell two sets apart: a configuration costs space in proportion to the history's
 * concurrency, not its length.
 */
export class LinearizedSet {
  readonly words: Uint32Array;
  private baseline: Uint32Array;
  /** Sum of the members' hashes, kept as members come and go. */
  hash = 0;
  /** First word that is not full. */
  lowWord = 0;
  /** Last word that differs from the baseline (-1 when none does). */
  highWord = -1;

  constructor(size: number) {
    // One spare word, never full, ends the scan for `lowWord`.
    this.words = new Uint32Array(Math.ceil(size / 32) + 1);
    this.baseline = new Uint32Array(this.words.length);
  }

  /** Takes the current members as the baseline: they stay members in every configuration. */
  takeAsBaseline(): void {
    this.baseline = this.words.slice();
    this.highWord = -1;
  }

  add(index: number): void {
    this.words[index >>> 5]! |= 1 << (index & 31);
    this.hash = (this.hash + mix32(index + 1)) | 0;
    this.changed(index >>> 5);
    while (this.words[this.lowWord] === FULL) this.lowWord += 1;
  }

  delete(index: number): void {
    const w = index >>> 5;
    this.words[w]! &= ~(1 << (index & 31));
    this.hash = (this.hash - mix32(index + 1)) | 0;
    if (w < this.lowWord) this.lowWord = w;
    this.changed(w);
  }

  private changed(w: number): void {
    if (this.words[w] !== this.baseline[w]) {
      if (w > this.highWord) this.highWord = w;
    } else if (w === this.highWord) {
      while (this.highWord >= 0 && this.words[this.highWord] === this.baseline[this.highWord]) this.highWord -= 1;
    }
  }

  /** How many words {@link copyWindow} writes. */
  windowLength(): number {
    return Math.max(0, this.highWord - this.lowWord + 1);
  }

  /** Copies the window into `pool` at `offset`. */
  copyWindow(pool: Uint32Array, offset: number): void {
    pool.set(this.words.subarray(this.lowWord, this.lowWord + this.windowLength()), offset);
  }

  /** Whether a window stored at `offset` in `pool`, starting at word `lowWord`, is this set's. */
  windowEquals(lowWord: number, length: number, pool: Uint32Array, offset: number): boolean {
    if (lowWord !== this.lowWord || length !== this.windowLength()) return false;
    const words = this.words;
    for (let i = 0; i < length; i++) if (words[lowWord + i] !== pool[offset + i]) return false;
    return true;
  }
}
