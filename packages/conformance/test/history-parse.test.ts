import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatHistory,
  formatProblems,
  parseHistory,
  parseHistoryLines,
  readHistoryFile,
  writeHistoryFile,
  type HistoryEvent,
} from '@raft/conformance';

const valid = [
  '{"process":0,"type":"invoke","f":"write","key":"x","value":1,"time":10}',
  '{"process":0,"type":"ok","f":"write","key":"x","value":1,"time":20}',
];

/** Parses `valid` with one line replaced, and returns the single problem found. */
function problemWith(line: string): string {
  const { problems, events } = parseHistory([line, ...valid].join('\n'), { source: 'h.jsonl' });
  expect(events).toHaveLength(2);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ source: 'h.jsonl', line: 1 });
  return problems[0]!.message;
}

describe('parseHistory', () => {
  it('parses valid lines into events and remembers their line numbers', () => {
    const parsed = parseHistory(['', ...valid, ''].join('\n'));
    expect(parsed.events).toEqual([
      { process: 0, type: 'invoke', f: 'write', key: 'x', value: 1, time: 10 },
      { process: 0, type: 'ok', f: 'write', key: 'x', value: 1, time: 20 },
    ]);
    expect(parsed.lines).toEqual([2, 3]);
    expect(parsed.problems).toEqual([]);
  });

  it('reports a line that is not JSON and keeps parsing the rest', () => {
    expect(problemWith('{"process":0,')).toMatch(/not valid JSON/);
  });

  it('reports a line that is JSON but not an object', () => {
    expect(problemWith('[1,2]')).toMatch(/expected a JSON object/);
  });

  it.each([
    ['type', '{"process":0,"f":"read","key":"x","value":null,"time":1}', /"type" must be one of .*got nothing/],
    ['time', '{"process":0,"type":"invoke","f":"read","key":"x","value":null}', /"time" must be .*got nothing/],
    ['negative time', '{"process":0,"type":"invoke","f":"read","key":"x","value":null,"time":-4}', /"time"/],
    ['process', '{"type":"invoke","f":"read","key":"x","value":null,"time":1}', /"process" must be/],
    ['fractional process', '{"process":1.5,"type":"invoke","f":"read","key":"x","value":null,"time":1}', /"process"/],
    ['f', '{"process":0,"type":"invoke","f":"delete","key":"x","value":null,"time":1}', /"f" must be one of .*"delete"/],
    ['key', '{"process":0,"type":"invoke","f":"read","value":null,"time":1}', /"key" must be a string/],
    ['read value', '{"process":0,"type":"ok","f":"read","key":"x","time":1}', /read ok must carry "value" \(null/],
    ['write value', '{"process":0,"type":"invoke","f":"write","key":"x","time":1}', /write invoke must carry "value"/],
    ['cas pair', '{"process":0,"type":"invoke","f":"cas","key":"x","value":[1],"time":1}', /\[expect, new\]; got \[1\]/],
    ['nemesis fault', '{"process":"nemesis","type":"info","time":1}', /nemesis event's "f" must name the fault/],
  ])('reports a missing or malformed %s', (_field, line, message) => {
    expect(problemWith(line)).toMatch(message);
  });

  it('accepts info and fail completions without a value, and nemesis events', () => {
    const parsed = parseHistory(
      [
        '{"process":0,"type":"info","f":"cas","key":"x","time":1}',
        '{"process":1,"type":"fail","f":"write","key":"x","time":2}',
        '{"process":"nemesis","type":"info","f":"partition","value":[["n1"],["n2","n3"]],"time":3}',
      ].join('\n'),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.events.map((e) => e.process)).toEqual([0, 1, 'nemesis']);
  });

  it('reports every bad line of a history, each with its own line number', () => {
    const parsed = parseHistory(['nope', valid[0], '{}', valid[1]].join('\n'), { source: 'run/history.jsonl' });
    expect(parsed.events).toHaveLength(2);
    expect(parsed.problems.map((p) => p.line)).toEqual([1, 3]);
    expect(formatProblems(parsed.problems)).toMatch(/^run\/history\.jsonl:1: not valid JSON.*\nrun\/history\.jsonl:3: "type"/);
  });

  it('parses a stream of lines', async () => {
    async function* lines(): AsyncIterable<string> {
      yield* valid;
    }
    const parsed = await parseHistoryLines(lines(), { source: 'socket' });
    expect(parsed.events).toHaveLength(2);
    expect(parsed.source).toBe('socket');
  });
});

describe('history files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'raft-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const events: HistoryEvent[] = [
    { process: 0, type: 'invoke', f: 'cas', key: 'k', value: [null, { a: 1 }], time: 5 },
    { process: 'nemesis', type: 'info', f: 'kill', value: 'n2', time: 6 },
    { process: 0, type: 'info', f: 'cas', key: 'k', time: 7 },
  ];

  it('writes a history that reads back identically', async () => {
    const path = join(dir, 'history.jsonl');
    await writeHistoryFile(path, events);
    const parsed = await readHistoryFile(path);
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toEqual(events);
    expect(formatHistory(parsed.events)).toBe(formatHistory(events));
  });

  it('names the file and line of each problem', async () => {
    const path = join(dir, 'broken.jsonl');
    await writeFile(path, `${formatHistory(events)}{"process":0,"type":"ok"\n`);
    const parsed = await readHistoryFile(path);
    expect(parsed.events).toEqual(events);
    expect(parsed.problems).toEqual([{ source: path, line: 4, message: expect.stringMatching(/not valid JSON/) }]);
  });

  it('rejects with the file system error when the file is missing', async () => {
    await expect(readHistoryFile(join(dir, 'absent.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});
