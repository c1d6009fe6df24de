import type { CheckResult, Verdict } from '../checker/types.js';
import type { JsonValue, Operation, Outcome } from '../history/types.js';
import { secondsInto, type TimeSpan } from './frame.js';
import type { NemesisWindow } from './nemesis-windows.js';
import { describeOperation } from './timeline.js';

/** Operations counted by outcome. */
export type OutcomeCounts = Record<Outcome, number>;

/** The machine-readable result of a run, written as `summary.json`. */
export interface RunSummary {
  /** `valid`, `invalid` or `unknown` (the checker ran out of budget). */
  readonly verdict: 'valid' | 'invalid' | 'unknown';
  /** What the run was: transport, storage, nodes, seed, nemeses... as the caller describes it. */
  readonly run: Readonly<Record<string, JsonValue>>;
  readonly durationSeconds: number;
  readonly operations: OutcomeCounts & { readonly total: number };
  readonly byFunction: Readonly<Record<string, OutcomeCounts>>;
  /** Client process ids used (a client is given a new one after each indeterminate operation). */
  readonly processes: number;
  /** How many times each fault was applied. */
  readonly nemesis: Readonly<Record<string, number>>;
  /** Latency percentiles of the successful operations, in milliseconds (`null` without any). */
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number } | null;
  readonly keys: Readonly<Record<string, { readonly valid: Verdict; readonly operations: number; readonly reason?: string }>>;
  /** Present when the history is not linearizable: where and why, in words. */
  readonly counterexample?: {
    readonly key: string;
    readonly blocked: string;
    readonly unlinearizable: readonly string[];
    readonly valueAfterPrefix: JsonValue;
    readonly windowSeconds: { readonly start: number; readonly end: number };
  };
}

/** The word for a checker's verdict. */
export function verdictName(valid: Verdict): RunSummary['verdict'] {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

/** Summarizes a checked history (see {@link RunSummary}). */
export function summarizeRun(input: {
  readonly operations: readonly Operation[];
  readonly windows: readonly NemesisWindow[];
  readonly span: TimeSpan;
  readonly check: CheckResult;
  readonly run: Readonly<Record<string, JsonValue>>;
}): RunSummary {
  const { operations, check, span } = input;
  const byFunction: Record<string, OutcomeCounts> = {};
  for (const o of operations) (byFunction[o.f] ??= zeroCounts())[o.outcome] += 1;
  const totals = countOutcomes(operations);
  const nemesis: Record<string, number> = {};
  for (const w of input.windows) nemesis[w.fault] = (nemesis[w.fault] ?? 0) + 1;
  const keys = Object.fromEntries(
    Object.entries(check.perKey).map(([key, r]) => [key, { valid: r.valid, operations: r.operations, ...(r.reason && { reason: r.reason }) }]),
  );
  const c = check.counterexample;
  return {
    verdict: verdictName(check.valid),
    run: input.run,
    durationSeconds: secondsInto(span, span.end),
    operations: { ...totals, total: operations.length },
    byFunction,
    processes: new Set(operations.map((o) => o.process)).size,
    nemesis,
    latencyMs: latencyPercentiles(operations),
    keys,
    ...(c && {
      counterexample: {
        key: c.key,
        blocked: describeOperation(c.blocked),
        unlinearizable: c.unlinearizable.map(describeOperation),
        valueAfterPrefix: c.valueAfterPrefix,
        windowSeconds: { start: secondsInto(span, c.window.start), end: secondsInto(span, c.window.end) },
      },
    }),
  };
}

function zeroCounts(): OutcomeCounts {
  return { ok: 0, fail: 0, info: 0 };
}

function countOutcomes(operations: readonly Operation[]): OutcomeCounts {
  const counts = zeroCounts();
  for (const o of operations) counts[o.outcome] += 1;
  return counts;
}

function latencyPercentiles(operations: readonly Operation[]): RunSummary['latencyMs'] {
  const sorted = operations
    .filter((o) => o.outcome === 'ok' && o.completedAt !== null)
    .map((o) => (o.completedAt! - o.call) / 1e6)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (q: number): number => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
