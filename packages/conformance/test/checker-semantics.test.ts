import { describe, expect, it } from 'vitest';
import { checkHistory, type ClientEvent, type JsonValue, type OpFunction } from '@raft/conformance';

/**
 * One operation as two events: `[call, ret]` are times; an `info` or in-flight operation gets no
 * completion time of its own meaning (pass `ret` anyway for `info`, `null` to leave it in flight).
 */
interface Op {
  p: number;
  f: OpFunction;
  key?: string;
  /** write: the value; cas: [expect, new]; read: the value read. */
  v: JsonValue;
  at: [number, number | null];
  type?: 'ok' | 'fail' | 'info';
}

function events(...ops: Op[]): ClientEvent[] {
  const all: ClientEvent[] = [];
  for (const { p, f, key = 'x', v, at, type = 'ok' } of ops) {
    all.push({ process: p, type: 'invoke', f, key, value: f === 'read' ? null : v, time: at[0] });
    if (at[1] !== null) all.push({ process: p, type, f, key, ...(type !== 'info' && { value: v }), time: at[1] });
  }
  return all.sort((a, b) => a.time - b.time);
}

const verdict = (...ops: Op[]) => checkHistory(events(...ops)).valid;

describe('checkHistory: register semantics', () => {
  it('accepts an empty history', () => {
    expect(checkHistory([])).toEqual({ valid: true, perKey: {} });
  });

  it('reads an absent key as null', () => {
    expect(verdict({ p: 0, f: 'read', v: null, at: [1, 2] })).toBe(true);
    expect(verdict({ p: 0, f: 'read', v: 0, at: [1, 2] })).toBe(false);
  });

  it('accepts sequential writes and reads of what was written', () => {
    expect(
      verdict(
        { p: 0, f: 'write', v: 1, at: [1, 2] },
        { p: 1, f: 'read', v: 1, at: [3, 4] },
        { p: 0, f: 'write', v: 2, at: [5, 6] },
        { p: 1, f: 'read', v: 2, at: [7, 8] },
      ),
    ).toBe(true);
  });

  it('compares values as JSON, whatever the order of object keys', () => {
    expect(
      verdict(
        { p: 0, f: 'write', v: { a: 1, b: [2, { c: null }] }, at: [1, 2] },
        { p: 1, f: 'read', v: { b: [2, { c: null }], a: 1 }, at: [3, 4] },
      ),
    ).toBe(true);
    expect(
      verdict({ p: 0, f: 'write', v: '1', at: [1, 2] }, { p: 1, f: 'read', v: 1, at: [3, 4] }),
    ).toBe(false);
  });

  it('detects a stale read, with a counterexample that explains it', () => {
    const result = checkHistory(
      events(
        { p: 0, f: 'write', v: 1, at: [1, 2] },
        { p: 0, f: 'write', v: 2, at: [3, 4] },
        { p: 1, f: 'read', v: 1, at: [5, 8] },
        { p: 2, f: 'read', v: 2, at: [6, 7] },
      ),
    );
    expect(result.valid).toBe(false);
    const counterexample = result.counterexample!;
    expect(counterexample.key).toBe('x');
    expect(counterexample.linearized.map((o) => [o.f, o.f === 'read' ? o.output : o.input])).toEqual([
      ['write', 1],
      ['write', 2],
      ['read', 2],
    ]);
    expect(counterexample.valueAfterPrefix).toBe(2);
    expect(counterexample.blocked).toMatchObject({ process: 1, f: 'read', output: 1, call: 5, return: 8 });
    expect(counterexample.unlinearizable.map((o) => o.process)).toEqual([1]);
    expect(counterexample.window).toEqual({ start: 5, end: 8 });
    expect(result.perKey.x).toMatchObject({ valid: false, operations: 4, counterexample });
  });

  it('accepts concurrent operations linearized in either order', () => {
    const write: Op = { p: 0, f: 'write', v: 1, at: [1, 4] };
    expect(verdict(write, { p: 1, f: 'read', v: null, at: [2, 3] })).toBe(true);
    expect(verdict(write, { p: 1, f: 'read', v: 1, at: [2, 3] })).toBe(true);
    const race = (read: number) =>
      verdict(
        { p: 0, f: 'write', v: 1, at: [1, 4] },
        { p: 1, f: 'write', v: 2, at: [2, 3] },
        { p: 2, f: 'read', v: read, at: [5, 6] },
      );
    expect(race(1)).toBe(true);
    expect(race(2)).toBe(true);
  });

  it('does not let a read see a write that began after it ended', () => {
    expect(verdict({ p: 1, f: 'read', v: 1, at: [1, 2] }, { p: 0, f: 'write', v: 1, at: [3, 4] })).toBe(false);
  });

  it('treats operations that meet at one instant as concurrent', () => {
    expect(verdict({ p: 0, f: 'write', v: 1, at: [1, 2] }, { p: 1, f: 'read', v: null, at: [2, 3] })).toBe(true);
  });
});

describe('checkHistory: cas', () => {
  const x1: Op = { p: 0, f: 'write', v: 1, at: [1, 2] };

  it('accepts a cas that matched, and sees its new value', () => {
    expect(verdict(x1, { p: 1, f: 'cas', v: [1, 5], at: [3, 4] }, { p: 2, f: 'read', v: 5, at: [5, 6] })).toBe(true);
  });

  it('rejects a successful cas whose expected value was not there', () => {
    expect(verdict(x1, { p: 1, f: 'cas', v: [2, 5], at: [3, 4] })).toBe(false);
  });

  it('ignores a failed cas: it did not happen', () => {
    expect(
      verdict(x1, { p: 1, f: 'cas', v: [1, 5], at: [3, 4], type: 'fail' }, { p: 2, f: 'read', v: 1, at: [5, 6] }),
    ).toBe(true);
    expect(
      verdict(x1, { p: 1, f: 'cas', v: [1, 5], at: [3, 4], type: 'fail' }, { p: 2, f: 'read', v: 5, at: [5, 6] }),
    ).toBe(false);
  });

  it('lets a cas of unknown outcome take effect later, or never', () => {
    const maybe: Op = { p: 1, f: 'cas', v: [1, 5], at: [3, 4], type: 'info' };
    expect(verdict(x1, maybe, { p: 2, f: 'read', v: 1, at: [5, 6] }, { p: 2, f: 'read', v: 5, at: [7, 8] })).toBe(true);
    expect(verdict(x1, maybe, { p: 2, f: 'read', v: 5, at: [5, 6] }, { p: 2, f: 'read', v: 1, at: [7, 8] })).toBe(false);
  });
});

describe('checkHistory: indeterminate operations', () => {
  const x1: Op = { p: 0, f: 'write', v: 1, at: [1, 2] };
  const lostWrite: Op = { p: 1, f: 'write', v: 2, at: [3, 4], type: 'info' };

  it('accepts an info write that takes effect long after the client gave up', () => {
    expect(
      verdict(x1, lostWrite, { p: 2, f: 'read', v: 1, at: [10, 11] }, { p: 2, f: 'read', v: 2, at: [100, 101] }),
    ).toBe(true);
  });

  it('accepts an info write that never takes effect', () => {
    expect(verdict(x1, lostWrite, { p: 2, f: 'read', v: 1, at: [100, 101] })).toBe(true);
  });

  it('accepts a write left in flight when the history ends, applied or not', () => {
    const inFlight: Op = { p: 1, f: 'write', v: 2, at: [3, null] };
    expect(verdict(x1, inFlight, { p: 2, f: 'read', v: 2, at: [5, 6] })).toBe(true);
    expect(verdict(x1, inFlight, { p: 2, f: 'read', v: 1, at: [5, 6] })).toBe(true);
  });

  it('still forbids an info write from taking effect twice', () => {
    expect(
      verdict(
        x1,
        lostWrite,
        { p: 2, f: 'read', v: 2, at: [5, 6] },
        { p: 2, f: 'write', v: 3, at: [7, 8] },
        { p: 2, f: 'read', v: 2, at: [9, 10] },
      ),
    ).toBe(false);
  });

  it('ignores reads of unknown outcome, and failed writes', () => {
    expect(
      verdict(
        x1,
        { p: 1, f: 'read', v: 42, at: [3, 4], type: 'info' },
        { p: 2, f: 'write', v: 7, at: [5, 6], type: 'fail' },
        { p: 2, f: 'read', v: 1, at: [7, 8] },
      ),
    ).toBe(true);
  });
});

describe('checkHistory: keys are independent registers', () => {
  it('finds the bad key among good ones and reports each key', () => {
    const result = checkHistory(
      events(
        { p: 0, f: 'write', v: 1, key: 'a', at: [1, 2] },
        { p: 1, f: 'write', v: 1, key: 'b', at: [1, 2] },
        { p: 0, f: 'read', v: 1, key: 'a', at: [3, 4] },
        { p: 1, f: 'read', v: null, key: 'b', at: [3, 4] },
        { p: 2, f: 'read', v: null, key: 'c', at: [3, 4] },
      ),
    );
    expect(result.valid).toBe(false);
    expect(Object.fromEntries(Object.entries(result.perKey).map(([k, r]) => [k, r.valid]))).toEqual({
      a: true,
      b: false,
      c: true,
    });
    expect(result.counterexample?.key).toBe('b');
  });

  it('does not let a write to one key satisfy a read of another', () => {
    expect(
      verdict({ p: 0, f: 'write', v: 1, key: 'a', at: [1, 2] }, { p: 1, f: 'read', v: 1, key: 'b', at: [3, 4] }),
    ).toBe(false);
  });
});
