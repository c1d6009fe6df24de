import { Bitset } from './bitset.js';
import { EventList, NIL } from './event-list.js';
import { REFUSED, stepRegister, type RegisterOps } from './register-model.js';
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
 */
export function searchLinearization(ops: RegisterOps, budget: SearchBudget): SearchOutcome {
  const n = ops.operations.length;
  const list = new EventList(
    ops.operations.map((o) => o.call),
    ops.operations.map((o) => o.return),
  );
  const { next, head } = list;
  const linearized = new Bitset(n);
  const cache = new StateCache();
  const stackOps = new Int32Array(n);
  const stackStates = new Int32Array(n);
  let depth = 0;
  let state = ValueTable.ABSENT;
  let setHash = 0;
  let failure: SearchFailure | undefined;
  let steps = 0;

  let node = next[head]!;
  while (node !== NIL) {
    if (++steps % CLOCK_INTERVAL === 0 && Date.now() > budget.deadline) {
      return { verdict: 'unknown', states: cache.size, reason: 'timeout' };
    }
    if (list.isCall(node)) {
      const op = node;
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
    // A return: its operation had to be linearized by now, and no pending call could go next.
    if (failure === undefined || depth > failure.prefix.length) {
      failure = describeFailure(list, node - n, stackOps.subarray(0, depth), state);
    }
    if (depth === 0) return { verdict: false, states: cache.size, failure };
    depth -= 1;
    const op = stackOps[depth]!;
    state = stackStates[depth]!;
    setHash = (setHash - mix32(op + 1)) | 0;
    linearized.clear(op);
    list.unlift(op);
    node = next[op]!;
  }
  return { verdict: true, states: cache.size };
}

function describeFailure(list: EventList, blocked: number, prefix: Int32Array, state: number): SearchFailure {
  const pending: number[] = [];
  for (let node = list.next[list.head]!; list.isCall(node); node = list.next[node]!) pending.push(node);
  return { prefix: Array.from(prefix), stateAfterPrefix: state, pending, blocked };
}
