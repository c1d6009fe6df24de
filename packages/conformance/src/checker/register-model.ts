import type { JsonValue, Operation } from '../history/types.js';
import { ValueTable } from './values.js';

// Register transitions, numbered so that the search switches on a small integer.
/** A read that returned a value: allowed only when the register holds it. */
const READ = 0;
/** A write, definite or indeterminate: always allowed, sets the register. */
const WRITE = 1;
/** A cas that succeeded: allowed only when the register holds `expect`, then sets `new`. */
const CAS = 2;
/** A cas of unknown outcome: sets `new` if the register holds `expect`, else changes nothing. */
const MAYBE_CAS = 3;

/** The state the search never reaches: a transition returns it to refuse an operation. */
export const REFUSED = -1;

/** Marks "no value" in the value-id arrays below. */
export const NO_VALUE = -1;

/**
 * One key's operations compiled for the search: every value interned, every operation a kind and
 * up to two value ids, in parallel typed arrays indexed by the operation's position in `operations`.
 */
export interface RegisterOps {
  readonly operations: readonly Operation[];
  readonly values: ValueTable;
  readonly kind: Uint8Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** The value the operation needs the register to hold (a read's result, a cas's expect), or {@link NO_VALUE}. */
  readonly observes: Int32Array;
  /**
   * For an operation of unknown outcome, the value it may write; {@link NO_VALUE} for the others.
   * Such an operation can always be put off to the very end, where nothing observes its effect.
   */
  readonly deferrable: Int32Array;
  /** Whether the operation's completion is known, i.e. it must be linearized before it returned. */
  readonly definite: Uint8Array;
}

/**
 * Whether an operation can constrain the register. A `fail` definitely did not happen, and a read
 * of unknown outcome observed nothing, so neither needs a place in the linearization.
 */
export function constrainsRegister(operation: Operation): boolean {
  return operation.outcome === 'ok' || (operation.outcome === 'info' && operation.f !== 'read');
}

/** Compiles operations (all on one key, all constraining) for {@link stepRegister}. */
export function compileRegisterOps(operations: readonly Operation[]): RegisterOps {
  const values = new ValueTable();
  const kind = new Uint8Array(operations.length);
  const first = new Int32Array(operations.length);
  const second = new Int32Array(operations.length);
  const observes = new Int32Array(operations.length).fill(NO_VALUE);
  const deferrable = new Int32Array(operations.length).fill(NO_VALUE);
  const definite = new Uint8Array(operations.length);
  operations.forEach((operation, i) => {
    definite[i] = operation.outcome === 'ok' ? 1 : 0;
    switch (operation.f) {
      case 'read':
        kind[i] = READ;
        first[i] = observes[i] = values.idOf(operation.output);
        break;
      case 'write':
        kind[i] = WRITE;
        first[i] = values.idOf(operation.input);
        if (!definite[i]) deferrable[i] = first[i]!;
        break;
      case 'cas': {
        const [expect, next] = operation.input as [JsonValue, JsonValue];
        kind[i] = operation.outcome === 'ok' ? CAS : MAYBE_CAS;
        first[i] = observes[i] = values.idOf(expect);
        second[i] = values.idOf(next);
        if (!definite[i]) deferrable[i] = second[i]!;
        break;
      }
    }
  });
  return { operations, values, kind, first, second, observes, deferrable, definite };
}

/**
 * Whether `op` is a read, which never changes the register: if a read can go now, some
 * linearization (if any exists) puts it now, so the search need not try the alternatives.
 */
export function isRead(ops: RegisterOps, op: number): boolean {
  return ops.kind[op] === READ;
}

/**
 * The register's transition: the state after operation `op` applied to `state`, or
 * {@link REFUSED} when the operation's observed result is impossible in that state.
 */
export function stepRegister(ops: RegisterOps, state: number, op: number): number {
  switch (ops.kind[op]) {
    case READ:
      return ops.first[op] === state ? state : REFUSED;
    case WRITE:
      return ops.first[op]!;
    case CAS:
      return ops.first[op] === state ? ops.second[op]! : REFUSED;
    default: // MAYBE_CAS
      return ops.first[op] === state ? ops.second[op]! : state;
  }
}
