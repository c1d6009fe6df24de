import { describe, expect, it } from 'vitest';
import { checkHistory, HistoryFormatError, pairOperations, parseHistory } from '@raft/conformance';

/** Parses history lines written as `process type f key value`, timed by line number (ns). */
function history(text: string) {
  const lines = text
    .trim()
    .split('\n')
    .map((line, i) => {
      const [process, type, f, key, value] = line.trim().split(/\s+/);
      const processField = process === 'nemesis' ? '"nemesis"' : process;
      return `{"process":${processField},"type":"${type}","f":"${f}","key":"${key}",${value === undefined ? '' : `"value":${value},`}"time":${i + 1}}`;
    });
  const parsed = parseHistory(lines.join('\n'), { source: 'test.jsonl' });
  expect(parsed.problems).toEqual([]);
  return parsed;
}

describe('pairOperations', () => {
  it('pairs each invocation with the completion from its process', () => {
    const { events, lines } = history(`
      0 invoke write x 1
      1 invoke read x null
      1 ok read x 1
      0 ok write x 1
    `);
    const { operations, problems } = pairOperations(events, { lines });
    expect(problems).toEqual([]);
    expect(operations).toEqual([
      { id: 0, process: 0, f: 'write', key: 'x', input: 1, output: null, outcome: 'ok', call: 1, return: 4, completedAt: 4 },
      { id: 1, process: 1, f: 'read', key: 'x', input: null, output: 1, outcome: 'ok', call: 2, return: 3, completedAt: 3 },
    ]);
  });

  it('gives an indeterminate operation no return time, and keeps when the client gave up', () => {
    const { events } = history(`
      0 invoke cas x [1,2]
      0 info cas x
    `);
    expect(pairOperations(events).operations[0]).toMatchObject({ outcome: 'info', return: Infinity, completedAt: 2 });
  });

  it('treats an operation still in flight at the end as indeterminate', () => {
    const { events } = history(`0 invoke write x 1`);
    expect(pairOperations(events).operations[0]).toMatchObject({ outcome: 'info', return: Infinity, completedAt: null });
  });

  it('keeps failed operations, marked as such, for the report', () => {
    const { events } = history(`
      0 invoke write x 1
      0 fail write x 1
    `);
    expect(pairOperations(events).operations[0]).toMatchObject({ outcome: 'fail', return: 2 });
  });

  it('sets nemesis events aside', () => {
    const { events } = history(`
      nemesis info partition - "majority"
      0 invoke read x null
      0 ok read x null
    `);
    const paired = pairOperations(events);
    expect(paired.nemesis).toEqual([{ process: 'nemesis', type: 'info', f: 'partition', key: '-', value: 'majority', time: 1 }]);
    expect(paired.operations).toHaveLength(1);
  });

  it('reports a completion without an invocation', () => {
    const { events, lines } = history(`
      0 invoke read x null
      0 ok read x null
      0 ok read x null
    `);
    expect(pairOperations(events, { source: 'h', lines }).problems).toEqual([
      { source: 'h', line: 3, message: expect.stringMatching(/process 0 completed a read \(ok\) with no operation in flight/) },
    ]);
  });

  it('reports two operations in flight in one process', () => {
    const { events, lines } = history(`
      4 invoke read x null
      4 invoke write x 3
      4 ok read x null
    `);
    const paired = pairOperations(events, { lines });
    expect(paired.problems).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringMatching(/process 4 invoked a write while its read invoked on line 1 is still in flight/),
      }),
    ]);
    expect(paired.operations).toHaveLength(1);
  });

  it('reports a completion that answers a different operation', () => {
    const { events } = history(`
      0 invoke read x null
      0 ok write y 1
    `);
    expect(pairOperations(events).problems[0]?.message).toMatch(
      /completed a write on key "y" but its operation in flight \(line 1\) is a read on key "x"/,
    );
  });

  it('reports a completion timed before its invocation', () => {
    const { events } = history(`
      0 invoke read x null
    `);
    const early = [...events, { process: 0, type: 'ok' as const, f: 'read' as const, key: 'x', value: null, time: 0 }];
    expect(pairOperations(early).problems[0]?.message).toMatch(/completed at time 0, before its invocation/);
  });

  it('makes checkHistory refuse a history it cannot pair, listing each problem', () => {
    const { events } = history(`
      0 ok read x null
      1 invoke read x null
      1 invoke read x null
    `);
    expect(() => checkHistory(events)).toThrow(HistoryFormatError);
    expect(() => checkHistory(events)).toThrow(/history:1: process 0 completed[^\n]*\nhistory:3: process 1 invoked/);
    expect(() => checkHistory(pairOperations(events))).toThrow(HistoryFormatError);
  });

  it('lets checkHistory take a history already paired, as a report would have it', () => {
    const { events } = history(`
      0 invoke write x 1
      0 ok write x 1
      1 invoke read x null
      1 ok read x 2
    `);
    expect(checkHistory(pairOperations(events)).counterexample?.blocked).toMatchObject({ process: 1, output: 2 });
  });
});
