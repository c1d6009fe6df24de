import type { EventList } from './event-list.js';
import { LinearizedSet } from './linearized-set.js';
import { NO_VALUE, type RegisterOps } from './register-model.js';

/**
 * Which operations have their place settled on the search's current path: those linearized, and
 * those of unknown outcome put off to the end because no pending operation awaits the value they
 * would write.
 *
 * Why putting off is safe: such an operation (a write, or a cas that may have happened) can
 * always go last, where nothing observes its effect. Placed any earlier while nobody awaits its
 * value, the operations after it would see a value none of them may read or expect, until a write
 * replaces it; so moving it to the end never loses a linearization. And "nobody awaits" only
 * becomes more true as the path grows, so a put-off operation stays put off. A put-off cas of
 * unknown outcome stops awaiting its expected value: at the end, nothing depends on its match.
 *
 * Counting put-off operations as settled is what keeps the settled set compact (a full prefix plus
 * a small window, see {@link LinearizedSet}) on long histories full of lost writes; lifting them
 * out of the event list keeps the search from stepping over them again and again.
 */
export class SettledOps {
  /** The settled set: the search's cache key, with the register state. */
  readonly set: LinearizedSet;
  /** For each value, how many operations not yet linearized need the register to hold it. */
  private readonly awaiting: Int32Array;
  /** For each value, the operations of unknown outcome that may write it (CSR: `byValue` from `start[v]`). */
  private readonly start: Int32Array;
  private readonly byValue: Int32Array;
  private readonly linearized: Uint8Array;

  constructor(
    private readonly ops: RegisterOps,
    private readonly list: EventList,
  ) {
    const n = ops.operations.length;
    const values = ops.values.size;
    this.set = new LinearizedSet(n);
    this.linearized = new Uint8Array(n);
    this.awaiting = new Int32Array(values);
    for (const value of ops.observes) if (value !== NO_VALUE) this.awaiting[value]! += 1;
    this.start = new Int32Array(values + 1);
    for (const value of ops.deferrable) if (value !== NO_VALUE) this.start[value + 1]! += 1;
    for (let v = 0; v < values; v++) this.start[v + 1]! += this.start[v]!;
    const fill = this.start.slice(0, values);
    this.byValue = new Int32Array(this.start[values]!);
    ops.deferrable.forEach((value, op) => {
      if (value !== NO_VALUE) this.byValue[fill[value]!++] = op;
    });
    const unawaited = [...this.awaiting.keys()].filter((v) => this.awaiting[v] === 0);
    for (const v of unawaited) this.putOff(v);
    this.set.takeAsBaseline();
  }

  /**
   * Settles `op` as linearized next, putting off whatever nobody awaits any more.
   * (The caller lifts `op` itself out of the event list, once it decides to keep it.)
   */
  linearize(op: number): void {
    this.linearized[op] = 1;
    this.set.add(op);
    const value = this.ops.observes[op]!;
    if (value !== NO_VALUE && --this.awaiting[value]! === 0) this.putOff(value);
  }

  /** Undoes {@link linearize} of `op`, which must be the latest one not yet undone. */
  unlinearize(op: number): void {
    const value = this.ops.observes[op]!;
    if (value !== NO_VALUE && this.awaiting[value]!++ === 0) this.bringBack(value);
    this.set.delete(op);
    this.linearized[op] = 0;
  }

  /**
   * Puts off every unsettled operation that may write `value`. A put-off cas no longer awaits
   * its expected value (at the end it may match or not, unobserved), which may put off more.
   */
  private putOff(value: number): void {
    for (let i = this.start[value]!; i < this.start[value + 1]!; i++) {
      const op = this.byValue[i]!;
      if (this.linearized[op]) continue;
      this.set.add(op);
      this.list.lift(op);
      const expected = this.ops.observes[op]!;
      if (expected !== NO_VALUE && --this.awaiting[expected]! === 0) this.putOff(expected);
    }
  }

  /** Undoes {@link putOff}, in reverse order as the event list requires. */
  private bringBack(value: number): void {
    for (let i = this.start[value + 1]! - 1; i >= this.start[value]!; i--) {
      const op = this.byValue[i]!;
      if (this.linearized[op]) continue;
      const expected = this.ops.observes[op]!;
      if (expected !== NO_VALUE && this.awaiting[expected]!++ === 0) this.bringBack(expected);
      this.list.unlift(op);
      this.set.delete(op);
    }
  }
}
