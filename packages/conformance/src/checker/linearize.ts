import { Bitset } from './bitset.js';
import { EventList, NIL } from './event-list.js';
import { NO_VALUE, REFUSED, stepRegister, type RegisterOps } from './register-model.js';
import { mix32, StateCache } from './state-cache.js';
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
  /** The operations still pending after `prefix`, none of which could go next. */
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
 * Operations of unknown outcome never return, so a naive search tries each of them at every later
 * point, in every combination: exponential on the long invalid histories it must exhaust. Two
 * facts prune that. Such an operation (a write, or a cas that may have happened) can always go
 * last, where its effect is unobserved; so once every definite operation is linearized the history
 * is, and while no pending operation needs the value it would write (no read of it, no cas
 * expecting it), placing it now is never better than placing it last, so it is not tried. (Were it
 * placed now, the next operations would all see a value nobody observes, until something writes.)
 */
export function searchLinearization(ops: RegisterOps, budget: SearchBudget): SearchOutcome {
  const n = ops.operations.length;
  const list = new EventList(
    ops.operations.map((o) => o.call),
    ops.operations.map((o) => o.return),
  );
  const { next, head } = list;
  const linearized = new Bitset(n);
  const cache = new StateCache(linearized.words.length);
  const stackOps = new Int32Array(n);
  const stackStates = new Int32Array(n);
  const furthest = new FurthestPoint(n);
  /** For each value, how many operations not yet linearized need the register to hold it. */
  const awaiting = new Int32Array(ops.values.size);
  for (const value of ops.observes) if (value !== NO_VALUE) awaiting[value]! += 1;
  let depth = 0;
  let state = ValueTable.ABSENT;
  let setHash = 0;
  let steps = 0;

  let node = next[head]!;
  while (node !== NIL) {
    if (++steps % CLOCK_INTERVAL === 0 && Date.now() > budget.deadline) {
      return { verdict: 'unknown', states: cache.size, reason: 'timeout' };
    }
    if (list.isCall(node)) {
      const op = node;
      const deferrable = ops.deferrable[op]!;
      if (deferrable !== NO_VALUE && awaiting[deferrable] === 0) {
        node = next[node]!;
        continue;
      }
      const after = stepRegister(ops, state, op);
      if (after !== REFUSED) {
        const candidateHash = (setHash + mix32(op + 1)) | 0;
        linearized.set(op);
        if (cache.add(mix32(candidateHash ^ mix32(after)), linearized, after)) {
          if (cache.size > budget.maxStates) {
            return { verdict: 'unknown', states: cache.size, reason: 'max-states' };
          }
          stackOps[depth] = op;
          stackStates[depth] = state;
          depth += 1;
          if (ops.observes[op] !== NO_VALUE) awaiting[ops.observes[op]!]! -= 1;
          state = after;
          setHash = candidateHash;
          list.lift(op);
          node = next[head]!;
          continue;
        }
        linearized.clear(op);
      }
      node = next[node]!;
      continue;
    }
    // The first return left is of an operation of unknown outcome: every definite one is placed.
    if (!ops.definite[node - n]) return { verdict: true, states: cache.size };
    // A return: its operation had to be linearized by now, and no pending call could go next.
    furthest.reached(stackOps, depth, state, node - n);
    if (depth === 0) return { verdict: false, states: cache.size, failure: furthest.failure(ops) };
    depth -= 1;
    furthest.unwound(depth);
    const op = stackOps[depth]!;
    if (ops.observes[op] !== NO_VALUE) awaiting[ops.observes[op]!]! += 1;
    state = stackStates[depth]!;
    setHash = (setHash - mix32(op + 1)) | 0;
    linearized.clear(op);
    list.unlift(op);
    node = next[op]!;
  }
  return { verdict: true, states: cache.size };
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
  private blocked = -1;

  constructor(size: number) {
    this.prefix = new Int32Array(size);
  }

  /** The search is stuck at `depth` because operation `blocked` returns unlinearized. */
  reached(stack: Int32Array, depth: number, state: number, blocked: number): void {
    if (depth <= this.depth) return;
    this.prefix.set(stack.subarray(this.lowWater, depth), this.lowWater);
    this.depth = depth;
    this.lowWater = depth;
    this.state = state;
    this.blocked = blocked;
  }

  /** The search backtracked to `depth`: stack entries from there on may change. */
  unwound(depth: number): void {
    if (depth < this.lowWater) this.lowWater = depth;
  }

  /**
   * The dead end as operations. Pending are the operations outside the prefix whose call comes
   * before the blocked return in time order (calls first at equal times, as in the event list).
   */
  failure(ops: RegisterOps): SearchFailure {
    const prefix = Array.from(this.prefix.subarray(0, this.depth));
    const inPrefix = new Set(prefix);
    const deadline = ops.operations[this.blocked]!.return;
    const pending: number[] = [];
    ops.operations.forEach((operation, op) => {
      if (!inPrefix.has(op) && operation.call <= deadline) pending.push(op);
    });
    return { prefix, stateAfterPrefix: this.state, pending, blocked: this.blocked };
  }
}
