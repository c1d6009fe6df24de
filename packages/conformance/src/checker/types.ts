import type { JsonValue, Operation } from '../history/types.js';

/**
 * A checker's answer: linearizable, not linearizable, or `'unknown'` when the time or memory
 * budget ran out before the search could decide.
 */
export type Verdict = true | false | 'unknown';

/** Bounds on a check. */
export interface CheckOptions {
  /**
   * Wall-clock budget for the whole history, in milliseconds; keys not decided in time are
   * `'unknown'`. Default: 60 000.
   */
  readonly timeoutMs?: number;
  /**
   * Most search configurations remembered for one key, which bounds memory: each costs some 40
   * bytes plus 4 per 32 operations in flight around it, so the default (5 000 000) stays within a
   * few hundred megabytes. Exceeding it makes the key `'unknown'`.
   */
  readonly maxStates?: number;
}

/** The verdict for one key, which is checked independently of the others. */
export interface KeyResult {
  readonly valid: Verdict;
  /** Operations that took part in the search (fails and indeterminate reads are left out). */
  readonly operations: number;
  /** Distinct configurations the search explored. */
  readonly states: number;
  /** Why the verdict is `'unknown'`. */
  readonly reason?: 'timeout' | 'max-states';
  /** Why the key is not linearizable, when it is not. */
  readonly counterexample?: Counterexample;
}

/**
 * Evidence that a key is not linearizable, for a person and for the report's timeline: the
 * furthest the search got (a linearization of a prefix of the history) and the operations that
 * could not be placed next, although one of them had to be.
 */
export interface Counterexample {
  readonly key: string;
  /** The longest linearizable prefix found, in linearization order. */
  readonly linearized: Operation[];
  /** The register's value after `linearized` (`null` if absent). */
  readonly valueAfterPrefix: JsonValue;
  /**
   * The operations pending after the prefix, none of which can be linearized next; it includes
   * `blocked`. Indeterminate operations may appear here: they were pending too.
   */
  readonly unlinearizable: Operation[];
  /** The operation that completed without any way to have taken effect. */
  readonly blocked: Operation;
  /**
   * The failing window, in nanoseconds: from the earliest invocation among the definite
   * unlinearizable operations to the completion of `blocked`.
   */
  readonly window: { readonly start: number; readonly end: number };
}

/** The answer for a whole history. */
export interface CheckResult {
  /**
   * `false` if any key is not linearizable; otherwise `'unknown'` if any key could not be decided;
   * otherwise `true`.
   */
  readonly valid: Verdict;
  /** The verdict of each key. */
  readonly perKey: Record<string, KeyResult>;
  /** When `valid` is false: the counterexample with the narrowest failing window over all keys. */
  readonly counterexample?: Counterexample;
}
