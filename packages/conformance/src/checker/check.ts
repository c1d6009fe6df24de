import { pairOperations, type PairedHistory } from '../history/operations.js';
import { formatProblems } from '../history/parse.js';
import type { HistoryEvent, Operation } from '../history/types.js';
import { searchLinearization, type SearchFailure } from './linearize.js';
import { compileRegisterOps, constrainsRegister, type RegisterOps } from './register-model.js';
import type { CheckOptions, CheckResult, Counterexample, KeyResult, Verdict } from './types.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_STATES = 5_000_000;

/** Thrown when a history breaks the format's rules so badly that it cannot be checked. */
export class HistoryFormatError extends Error {
  override readonly name = 'HistoryFormatError';
}

/**
 * Checks that a history of register operations is linearizable.
 *
 * Each key is an independent register (P-compositionality), initially absent (`null`); values are
 * compared as JSON. `ok` operations took effect between invocation and completion; `fail`
 * operations never took effect and are ignored; `info` operations may take effect at any time
 * after their invocation, or never. Bounded by `options`: a key the search cannot decide within
 * them is `'unknown'`, never a hang.
 *
 * @param history - the events, as parsed by `parseHistory` or `readHistoryFile` (nemesis events
 *   are ignored), or the same already paired by `pairOperations` (say, to draw them too).
 * @throws {@link HistoryFormatError} when events cannot be paired into operations (a completion
 *   with nothing in flight, two operations in flight on one process, ...); its message lists them.
 */
export function checkHistory(history: readonly HistoryEvent[] | PairedHistory, options: CheckOptions = {}): CheckResult {
  return checkOperations(pairedOrThrow(history), options);
}

function pairedOrThrow(history: readonly HistoryEvent[] | PairedHistory): readonly Operation[] {
  const paired = 'operations' in history ? history : pairOperations(history);
  if (paired.problems.length > 0) {
    throw new HistoryFormatError(
      `the history cannot be checked until these events are fixed:\n${formatProblems(paired.problems)}`,
    );
  }
  return paired.operations;
}

function checkOperations(operations: readonly Operation[], options: CheckOptions): CheckResult {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const perKey: Record<string, KeyResult> = {};
  for (const [key, keyOperations] of partitionByKey(operations)) {
    perKey[key] = checkKey(key, compileRegisterOps(keyOperations), { deadline, maxStates });
  }
  const results = Object.values(perKey);
  const counterexample = narrowest(results.flatMap((r) => (r.counterexample ? [r.counterexample] : [])));
  return { valid: combine(results.map((r) => r.valid)), perKey, ...(counterexample && { counterexample }) };
}

/** Groups the operations that constrain a register by key, keeping history order within each. */
function partitionByKey(operations: readonly Operation[]): Map<string, Operation[]> {
  const byKey = new Map<string, Operation[]>();
  for (const operation of operations) {
    if (!constrainsRegister(operation)) continue;
    const group = byKey.get(operation.key);
    if (group === undefined) byKey.set(operation.key, [operation]);
    else group.push(operation);
  }
  return byKey;
}

function checkKey(key: string, ops: RegisterOps, budget: { deadline: number; maxStates: number }): KeyResult {
  const operations = ops.operations.length;
  const outcome = searchLinearization(ops, budget);
  switch (outcome.verdict) {
    case true:
      return { valid: true, operations, states: outcome.states };
    case 'unknown':
      return { valid: 'unknown', operations, states: outcome.states, reason: outcome.reason };
    case false:
      return {
        valid: false,
        operations,
        states: outcome.states,
        counterexample: toCounterexample(key, ops, outcome.failure),
      };
  }
}

function toCounterexample(key: string, ops: RegisterOps, failure: SearchFailure): Counterexample {
  const operation = (index: number): Operation => ops.operations[index]!;
  const unlinearizable = failure.pending.map(operation);
  const blocked = operation(failure.blocked);
  const definite = unlinearizable.filter((o) => o.outcome === 'ok');
  return {
    key,
    linearized: failure.prefix.map(operation),
    valueAfterPrefix: ops.values.valueOf(failure.stateAfterPrefix),
    unlinearizable,
    blocked,
    window: { start: Math.min(...definite.map((o) => o.call)), end: blocked.return },
  };
}

function narrowest(counterexamples: Counterexample[]): Counterexample | undefined {
  const width = (c: Counterexample): number => c.window.end - c.window.start;
  return counterexamples.reduce<Counterexample | undefined>(
    (best, c) => (best === undefined || width(c) < width(best) ? c : best),
    undefined,
  );
}

function combine(verdicts: Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes('unknown')) return 'unknown';
  return true;
}
