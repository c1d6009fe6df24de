import { EventList, NIL } from './event-list.js';
import { mix32 } from './hash.js';
import { isRead, REFUSED, stepRegister, type RegisterOps } from './register-model.js';
import { SettledOps } from './settled-ops.js';
import { StateCache } from './state-cache.js';
import { ValueTable } from './values.js';

/** Limits on one search; exceeding either makes the answer unknown instead of late. */
export interface SearchBudget {
  /** `Date.now()` after which the search gives up. */
  readonly deadline: number;
  /** Most configurations the search may remember (its memory is proportional to this). */
  readonly maxStates: number;
}

/** Where the search got furthest before it had to give up on a key. */
export interface SearchFailure {
  /** The longest linearization found, as operation indices in order. */
  readonly prefix: number[];
  /** The register's state (a value id) after `prefix`. */
  readonly stateAfterPrefix: number;
  /** The operations pending after `prefix` (not put off), none of which could go next. */
  readonly pending: number[];
  /** The pending operation whose return forced the search back: it had to go by then. */
  readonly blocked: number;
}

/** What the search concluded for one key. */
export type SearchOutcome =
  | { readonly verdict: true; readonly states: number }
  | { readonly verdict: false; readonly states: number; readonly failure: SearchFailure }
  | { readonly verdict: 'unknown'; readonly states: number; readonly reason: 'timeout' | 'max-states' };

/** How many steps pass between looks at the clock: often enough to stop promptly, rarely enough to be free. */
const CLOCK_INTERVAL = 1024;

/**
 * Decides whether one key's operations are linearizable, by Wing & Gong's search with Lowe's
 * just-in-time linearization: walk the events in time order, try to linearize each pending call,
 * and backtrack when a return is reached whose operation has not been linearized. Configurations
 * already explored are remembered and skipped (as Porcupine does), which keeps the usual,
 * mostly-sequential history close to linear time.
 *
 * Two more prunings keep histories with many concurrent clients or many lost operations
 * tractable. A read that can go now goes now, alone: reads change nothing, so if any
 * linearization exists, one puts that read next, and trying the alternatives as well would only
 * multiply the work. And operations of unknown outcome, which never return, are put off to the
 * end as soon as nothing pending awaits their value (see {@link SettledOps}); once every definite
 * operation is linearized, the history is.
 */
export function searchLinearization(ops: RegisterOps, budget: SearchBudget): SearchOutcome {
  const n = ops.operations.length;
  const list = new EventList(
    ops.operations.map((o) => o.call),
    ops.operations.map((o) => o.return),
  );
  const { next, head } = list;
  const settled = new SettledOps(ops, list);
  const cache = new StateCache();
  const stackOps = new Int32Array(n);
  const stackStates = new Int32Array(n);
  /** Whether the operation at each depth was a forced read, whose failure fails its parent too. */
  const stackForced = new Uint8Array(n);
  const furthest = new FurthestPoint(n);
  let depth = 0;
  let state = ValueTable.ABSENT;
  let steps = 0;
  /** Whether the configuration was just reached, so that a forced read is looked for first. */
  let arrived = true;
  let node = next[head]!;

  /** Tries to linearize `op` next; false if its result is impossible or the configuration was seen. */
  const advance = (op: number, after: number, forced: boolean): boolean => {
    settled.linearize(op);
    if (!cache.add(mix32(settled.set.hash ^ mix32(after)), settled.set, after)) {
      settled.unlinearize(op);
      return false;
    }
    stackOps[depth] = op;
    stackStates[depth] = state;
    stackForced[depth] = forced ? 1 : 0;
    depth += 1;
    state = after;
    list.lift(op);
    return true;
  };
  /** Undoes the latest {@link advance} and returns its operation. */
  const retreat = (): number => {
    depth -= 1;
    furthest.unwound(depth);
    const op = stackOps[depth]!;
    state = stackStates[depth]!;
    list.unlift(op);
    settled.unlinearize(op);
    return op;
  };

  for (;;) {
    if (++steps % CLOCK_INTERVAL === 0 && Date.now() > budget.deadline) {
      return { verdict: 'unknown', states: cache.size, reason: 'timeout' };
    }
    if (cache.size > budget.maxStates) return { verdict: 'unknown', states: cache.size, reason: 'max-states' };
    let failed = false;
    if (arrived) {
      arrived = false;
      const read = readThatFits(list, ops, state);
      if (read !== NIL) {
        if (advance(read, state, true)) {
          arrived = true;
          continue;
        }
        failed = true; // that read going next was already explored, and nothing else need be tried
      }
      node = next[head]!;
    }
    if (!failed) {
      if (node === NIL) return { verdict: true, states: cache.size };
      if (list.isCall(node)) {
        const after = isRead(ops, node) ? REFUSED : stepRegister(ops, state, node);
        if (after !== REFUSED && advance(node, after, false)) arrived = true;
        else node = next[node]!;
        continue;
      }
      // The first return left is of an operation of unknown outcome: every definite one is placed.
      if (!ops.definite[node - n]) return { verdict: true, states: cache.size };
      // A return: its operation had to be linearized by now, and no pending call could go next.
      furthest.reached(stackOps, depth, state, list);
    }
    // Backtrack past every forced read: its failure is its parent's too.
    let op: number;
    do {
      if (depth === 0) return { verdict: false, states: cache.size, failure: furthest.failure() };
      op = retreat();
    } while (stackForced[depth] === 1);
    node = next[op]!;
  }
}

/** The first pending read that returned what the register holds, or {@link NIL}. */
function readThatFits(list: EventList, ops: RegisterOps, state: number): number {
  for (let node = list.next[list.head]!; node !== NIL && list.isCall(node); node = list.next[node]!) {
    if (isRead(ops, node) && stepRegister(ops, state, node) === state) return node;
  }
  return NIL;
}

/**
 * Remembers the deepest dead end of the search, for the counterexample. Copying the whole stack at
 * every new depth would cost quadratic time on long histories; only the part of the stack that
 * changed since the last copy (above its low-water mark) is copied, so the cost stays linear.
 */
class FurthestPoint {
  private readonly prefix: Int32Array;
  private depth = -1;
  private lowWater = 0;
  private state = ValueTable.ABSENT;
  private pending: number[] = [];
  private blocked = NIL;

  constructor(size: number) {
    this.prefix = new Int32Array(size);
  }

  /**
   * The search is stuck at `depth`: the first return in `list` is of an operation not linearized,
   * and none of the calls before it could go next.
   */
  reached(stack: Int32Array, depth: number, state: number, list: EventList): void {
    if (depth <= this.depth) return;
    this.prefix.set(stack.subarray(this.lowWater, depth), this.lowWater);
    this.depth = depth;
    this.lowWater = depth;
    this.state = state;
    this.pending = [];
    let node = list.next[list.head]!;
    for (; list.isCall(node); node = list.next[node]!) this.pending.push(node);
    this.blocked = node - list.size;
  }

  /** The search backtracked to `depth`: stack entries from there on may change. */
  unwound(depth: number): void {
    if (depth < this.lowWater) this.lowWater = depth;
  }

  failure(): SearchFailure {
    return {
      prefix: Array.from(this.prefix.subarray(0, this.depth)),
      stateAfterPrefix: this.state,
      pending: this.pending,
      blocked: this.blocked,
    };
  }
}
