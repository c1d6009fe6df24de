import { describe, expect, it } from 'vitest';
import { checkHistory, injectStaleRead, simulateRegisterHistory, type ClientEvent } from '@raft/conformance';

describe('checkHistory at scale', () => {
  const history = simulateRegisterHistory({ seed: 2024, operations: 100_000, processes: 20, keys: 10 });

  it('accepts a 100,000-operation history of a linearizable store (20 processes, 10 keys)', () => {
    expect(history.filter((e) => e.type === 'invoke')).toHaveLength(100_000);
    const result = checkHistory(history);
    expect(result.valid).toBe(true);
    expect(Object.keys(result.perKey)).toHaveLength(10);
  });

  it('rejects the same history with one stale read, and points at that read', () => {
    const corrupted = injectStaleRead(history, 7)!;
    const event = corrupted.events[corrupted.index]!;
    const result = checkHistory(corrupted.events);
    expect(result.valid).toBe(false);
    const invalidKeys = Object.entries(result.perKey).filter(([, r]) => r.valid === false);
    expect(invalidKeys.map(([key]) => key)).toEqual([event.key]);
    expect(result.counterexample?.blocked).toMatchObject({ process: event.process, return: event.time, output: event.value });
  });
});

describe('checkHistory on simulated histories', () => {
  it('decides a history of 20 processes contending for a single key, valid and with a stale read', () => {
    const events = simulateRegisterHistory({ seed: 3, operations: 20_000, processes: 20, keys: 1 });
    expect(checkHistory(events).valid).toBe(true);
    expect(checkHistory(injectStaleRead(events, 3)!.events).valid).toBe(false);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: valid as recorded, invalid with a stale read, despite many info operations', (seed) => {
    const events = simulateRegisterHistory({ seed, operations: 5_000, processes: 10, keys: 2, infoRate: 0.1, failRate: 0.05 });
    expect(checkHistory(events, { maxStates: 1_000_000 }).valid).toBe(true);
    const corrupted = injectStaleRead(events, seed)!;
    expect(checkHistory(corrupted.events, { maxStates: 1_000_000 }).valid).toBe(false);
  });
});

/**
 * Many concurrent writes and one read of a value nobody wrote: the read can never be placed, but
 * the search only learns that after trying every subset of the writes (2^writers configurations).
 */
function pathological(writers: number): ClientEvent[] {
  const events: ClientEvent[] = [];
  for (let p = 0; p < writers; p++) events.push({ process: p, type: 'invoke', f: 'write', key: 'x', value: p, time: p });
  events.push({ process: writers, type: 'invoke', f: 'read', key: 'x', value: null, time: writers });
  events.push({ process: writers, type: 'ok', f: 'read', key: 'x', value: 'never written', time: writers + 1 });
  for (let p = 0; p < writers; p++) {
    events.push({ process: p, type: 'ok', f: 'write', key: 'x', value: p, time: writers + 2 + p });
  }
  return events;
}

describe('checkHistory bounds', () => {
  it('decides a small instance of the pathological history', () => {
    expect(checkHistory(pathological(8)).valid).toBe(false);
  });

  it('answers unknown when the state budget is exhausted', () => {
    const result = checkHistory(pathological(40), { maxStates: 50_000, timeoutMs: 600_000 });
    expect(result.valid).toBe('unknown');
    expect(result.perKey.x).toMatchObject({ valid: 'unknown', reason: 'max-states' });
    expect(result.perKey.x!.states).toBeGreaterThan(50_000);
  });

  it('answers unknown when the time budget is exhausted', () => {
    const result = checkHistory(pathological(40), { timeoutMs: 20, maxStates: Infinity });
    expect(result).toMatchObject({ valid: 'unknown', perKey: { x: { valid: 'unknown', reason: 'timeout' } } });
  });

  it('keeps a definite violation on one key when another is undecided', () => {
    const other: ClientEvent[] = [
      { process: 100, type: 'invoke', f: 'read', key: 'y', value: null, time: 0 },
      { process: 100, type: 'ok', f: 'read', key: 'y', value: 1, time: 1 },
    ];
    const result = checkHistory([...pathological(40), ...other], { maxStates: 10_000 });
    expect(result.valid).toBe(false);
    expect(result.perKey.x?.valid).toBe('unknown');
    expect(result.counterexample?.key).toBe('y');
  });
});
