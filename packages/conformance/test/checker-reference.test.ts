import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, pairOperations, type ClientEvent, type JsonValue, type Operation } from '@raft/conformance';

/**
 * The checker against the definition: a brute-force search over every order of the operations
 * that respects real time, with no memoization and no pruning, on small random histories.
 */

type Register = JsonValue;

/** The register after `op` from `state`, or `undefined` if `op`'s result is impossible there. */
function apply(op: Operation, state: Register): Register | undefined {
  switch (op.f) {
    case 'read':
      return op.output === state ? state : undefined;
    case 'write':
      return op.input;
    case 'cas': {
      const [expect, next] = op.input as [JsonValue, JsonValue];
      if (expect === state) return next;
      return op.outcome === 'info' ? state : undefined;
    }
  }
}

/** Whether `op` may come next: no other pending operation completed before it was invoked. */
const mayGoNext = (op: Operation, pending: readonly Operation[]): boolean =>
  pending.every((other) => !(other.return < op.call));

function bruteForce(pending: readonly Operation[], state: Register): boolean {
  if (pending.every((op) => op.outcome === 'info')) return true;
  return pending.some((op, i) => {
    if (!mayGoNext(op, pending)) return false;
    const after = apply(op, state);
    return after !== undefined && bruteForce([...pending.slice(0, i), ...pending.slice(i + 1)], after);
  });
}

const value = fc.constantFrom<JsonValue>(1, 2, 3);
const arbitraryOp = fc.record({
  f: fc.constantFrom('read', 'write', 'cas'),
  written: value,
  read: fc.constantFrom<JsonValue>(null, 1, 2, 3),
  expect: fc.constantFrom<JsonValue>(null, 1, 2, 3),
  type: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail'),
  start: fc.nat(20),
  duration: fc.nat(10),
});

/** Each operation on its own process, so that any overlap is possible. */
function toEvents(ops: Array<typeof arbitraryOp extends fc.Arbitrary<infer T> ? T : never>): ClientEvent[] {
  const events = ops.flatMap(({ f, written, read, expect, type, start, duration }, process): ClientEvent[] => {
    const input = f === 'read' ? null : f === 'write' ? written : [expect, written];
    const output = f === 'read' ? read : input;
    return [
      { process, type: 'invoke', f, key: 'x', value: input, time: start },
      { process, type, f, key: 'x', ...(type !== 'info' && { value: output }), time: start + duration },
    ];
  });
  return events.sort((a, b) => a.time - b.time || Number(a.type !== 'invoke') - Number(b.type !== 'invoke'));
}

describe('checkHistory agrees with a brute-force search', () => {
  it('on random small histories of reads, writes and cas with every outcome', () => {
    fc.assert(
      fc.property(fc.array(arbitraryOp, { minLength: 1, maxLength: 7 }), (ops) => {
        const events = toEvents(ops);
        const relevant = pairOperations(events).operations.filter((o) => o.outcome !== 'fail' && !(o.outcome === 'info' && o.f === 'read'));
        expect(checkHistory(events).valid).toBe(bruteForce(relevant, null));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it('with counterexamples whose prefix is a legal linearization ending in the reported value', () => {
    fc.assert(
      fc.property(fc.array(arbitraryOp, { minLength: 1, maxLength: 7 }), (ops) => {
        const result = checkHistory(toEvents(ops));
        if (result.valid !== false) return;
        const { linearized, valueAfterPrefix, unlinearizable, blocked } = result.counterexample!;
        let state: Register | undefined = null;
        linearized.forEach((op, i) => {
          expect(mayGoNext(op, [...linearized.slice(i), ...unlinearizable])).toBe(true);
          state = apply(op, state as Register);
          expect(state).not.toBeUndefined();
        });
        expect(state).toEqual(valueAfterPrefix);
        expect(unlinearizable).toContain(blocked);
        expect(blocked.outcome).toBe('ok');
      }),
      { seed: 11, numRuns: 3000 },
    );
  });
});
