/** Marks the end of the list. */
export const NIL = -1;

/**
 * The call and return events of `n` operations in time order, as a doubly linked list that the
 * search edits in place: linearizing an operation lifts its two events out, backtracking puts
 * them back (in reverse order, so each node's old neighbours are still the right ones).
 *
 * Node `i < n` is the call of operation `i`; node `n + i` is its return; node `2n` is the head.
 */
export class EventList {
  /** How many operations the list holds events of. */
  readonly size: number;
  /** The head node; `next[head]` is the earliest event still in the list. */
  readonly head: number;
  readonly next: Int32Array;
  readonly prev: Int32Array;

  /**
   * @param calls - invocation time of each operation
   * @param returns - latest time each operation can take effect (`Infinity` if indeterminate)
   */
  constructor(calls: ArrayLike<number>, returns: ArrayLike<number>) {
    const n = calls.length;
    this.size = n;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1);
    this.prev = new Int32Array(2 * n + 1);
    const time = (node: number): number => (node < n ? calls[node]! : returns[node - n]!);
    const order = Array.from({ length: 2 * n }, (_, node) => node);
    // At equal times calls go first: operations that touch at an instant count as concurrent,
    // which never turns a linearizable history into a violation.
    order.sort((a, b) => time(a) - time(b) || Number(a >= n) - Number(b >= n) || a - b);
    let previous = this.head;
    for (const node of order) {
      this.next[previous] = node;
      this.prev[node] = previous;
      previous = node;
    }
    this.next[previous] = NIL;
  }

  /** Whether a node is a call (as opposed to a return). */
  isCall(node: number): boolean {
    return node < this.size;
  }

  /** Removes operation `op`'s call and return from the list. */
  lift(op: number): void {
    this.unlink(op);
    this.unlink(op + this.size);
  }

  /** Undoes the latest {@link lift}, which must have been of `op`. */
  unlift(op: number): void {
    this.relink(op + this.size);
    this.relink(op);
  }

  private unlink(node: number): void {
    const before = this.prev[node]!;
    const after = this.next[node]!;
    this.next[before] = after;
    if (after !== NIL) this.prev[after] = before;
  }

  private relink(node: number): void {
    const before = this.prev[node]!;
    const after = this.next[node]!;
    this.next[before] = node;
    if (after !== NIL) this.prev[after] = node;
  }
}
