/**
 * The AppendEntries in flight to one follower, remembered by the last index each carried, so the
 * leader stops sending once `capacity` are unacknowledged (flow control in replicate state).
 */
export class Inflights {
  readonly #ring: number[];
  #start = 0;
  #count = 0;

  constructor(readonly capacity: number) {
    this.#ring = new Array<number>(capacity).fill(0);
  }

  get count(): number {
    return this.#count;
  }

  get full(): boolean {
    return this.#count === this.capacity;
  }

  /** Records a message whose last entry is `lastIndex`. Indexes must increase. */
  add(lastIndex: number): void {
    if (this.full) throw new Error('inflights: add() while full; the caller must check `full` first');
    this.#ring[(this.#start + this.#count) % this.capacity] = lastIndex;
    this.#count++;
  }

  /** Forgets every message whose last index is at or below `index` (acknowledged). */
  freeTo(index: number): void {
    while (this.#count > 0 && this.#ring[this.#start]! <= index) {
      this.#start = (this.#start + 1) % this.capacity;
      this.#count--;
    }
  }

  /** Forgets the oldest message, making room for one more (used when acks may have been lost). */
  freeFirst(): void {
    if (this.#count === 0) return;
    this.#start = (this.#start + 1) % this.capacity;
    this.#count--;
  }

  reset(): void {
    this.#start = 0;
    this.#count = 0;
  }
}
