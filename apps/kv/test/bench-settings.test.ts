import { describe, expect, it } from 'vitest';
import { cells, median, resultsTable, spread, targetLines, type Result } from '../bench/results.js';
import { SettingsError, readSettings } from '../bench/settings.js';

const nothingExists = (): boolean => false;

describe('the kv bench settings', () => {
  it('defaults to zmq and nats, 1/16/64 clients, every operation, file storage, one round', () => {
    expect(readSettings({}, '/work', nothingExists)).toEqual({
      transports: [
        { name: 'zmq', option: 'zmq' },
        { name: 'nats', option: 'nats' },
      ],
      clientCounts: [1, 16, 64],
      operations: ['put-leader', 'put-followers', 'get-leader'],
      storage: 'file',
      durationMs: 5000,
      warmupMs: 1000,
      rounds: 1,
      nodeArgs: [],
      verbose: false,
    });
  });

  it('takes a transport module path relative to where pnpm ran, labelled by its file name', () => {
    const settings = readSettings({ KV_BENCH_TRANSPORTS: 'zmq, ./adapters/tcp.js' }, '/home/me/project', (path) => path === '/home/me/project/adapters/tcp.js');
    expect(settings.transports).toEqual([
      { name: 'zmq', option: 'zmq' },
      { name: 'tcp', option: '/home/me/project/adapters/tcp.js' },
    ]);
  });

  it('splits node flags on whitespace and reads rounds and durations', () => {
    const settings = readSettings(
      { KV_BENCH_NODE_ARGS: ' --snapshot-entries  100000 --tick-ms 10 ', KV_BENCH_ROUNDS: '3', KV_BENCH_SECONDS: '2.5', KV_BENCH_STORAGE: 'lmdb' },
      '/',
      nothingExists,
    );
    expect(settings).toMatchObject({ nodeArgs: ['--snapshot-entries', '100000', '--tick-ms', '10'], rounds: 3, durationMs: 2500, storage: 'lmdb' });
  });

  it.each([
    [{ KV_BENCH_TRANSPORTS: 'carrier-pigeon' }, /KV_BENCH_TRANSPORTS: carrier-pigeon is neither zmq nor nats nor an existing transport module \(\/w\/carrier-pigeon\)/],
    [{ KV_BENCH_TRANSPORTS: ' , ' }, /KV_BENCH_TRANSPORTS: empty/],
    [{ KV_BENCH_CLIENTS: '1,0' }, /KV_BENCH_CLIENTS: a comma-separated list of positive integers/],
    [{ KV_BENCH_OPS: 'put-leader,delete' }, /KV_BENCH_OPS: unknown delete; use put-leader, put-followers, get-leader/],
    [{ KV_BENCH_STORAGE: 'tape' }, /KV_BENCH_STORAGE: unknown tape; use file, level, lmdb, memory/],
    [{ KV_BENCH_SECONDS: 'soon' }, /KV_BENCH_SECONDS: a positive number of seconds, e\.g\. 5; got "soon"/],
    [{ KV_BENCH_WARMUP_SECONDS: '-1' }, /KV_BENCH_WARMUP_SECONDS: a positive number of seconds/],
    [{ KV_BENCH_ROUNDS: '1.5' }, /KV_BENCH_ROUNDS: a positive integer/],
  ])('refuses %o with a message naming the variable', (env, message) => {
    expect(() => readSettings(env, '/w', nothingExists)).toThrow(SettingsError);
    expect(() => readSettings(env, '/w', nothingExists)).toThrow(message);
  });
});

const result = (transport: string, clients: number, opsPerSecond: number, p50Ms: number, overrides: Partial<Result> = {}): Result => ({
  transport,
  operation: 'put-leader',
  clients,
  opsPerSecond,
  p50Ms,
  p99Ms: p50Ms * 5,
  errors: 0,
  load: 2,
  clientCpu: 0.2,
  leaderSaveMs: 0.5,
  ...overrides,
});

describe('the kv bench results', () => {
  it('takes medians of finite values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('groups rounds per transport, operation and client count, in first-seen order', () => {
    const grouped = cells([result('zmq', 1, 700, 1.1), result('nats', 1, 500, 1.5), result('zmq', 1, 650, 1.2), result('zmq', 64, 11_000, 5)]);
    expect(grouped.map((c) => [c.transport, c.clients, c.runs.length])).toEqual([
      ['zmq', 1, 2],
      ['nats', 1, 1],
      ['zmq', 64, 1],
    ]);
    expect(spread(grouped[0]!, (r) => r.opsPerSecond, 0)).toBe('675 (650–700)');
    expect(spread(grouped[1]!, (r) => r.opsPerSecond, 0)).toBe('500');
  });

  it('prints one row per cell and the targets from medians', () => {
    const results = [result('zmq', 1, 700, 1.1), result('zmq', 1, 650, 1.3), result('zmq', 1, 600, 0.9), result('zmq', 64, 9_000, 6), result('zmq', 64, 12_000, 4), result('zmq', 64, 10_500, 5)];
    const table = resultsTable(results, 8_000).split('\n');
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^zmq\s+PUT → leader\s+1\s+650 \(600–700\)\s+0\.08×\s+1\.10 \(0\.90–1\.30\)/);
    expect(targetLines(results, 'file', 3)).toEqual([
      '3 rounds, transports taking turns: medians, with the range in parentheses (p99, save, cpu and load: medians)',
      'target ≥ 10,000 writes/s at 64 clients: best 10,500 (9,000–12,000)/s (zmq, PUT → leader)',
      'target write p50 < 1 ms at 1 client: zmq 1.10 (0.90–1.30) ms',
    ]);
    expect(targetLines([result('zmq', 1, 700, 1.1)], 'memory', 1)).toEqual(['the targets below are set for file storage', 'target write p50 < 1 ms at 1 client: zmq 1.10 ms']);
  });
});
