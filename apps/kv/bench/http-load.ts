/**
 * `pnpm --filter @raft/kv bench`: closed-loop HTTP load against a three-node raft-kv cluster
 * (separate OS processes started by the demo supervisor, file storage by default) on this machine, once per
 * transport. N clients each keep exactly one request outstanding over a keep-alive connection;
 * after a warm-up, completions are counted and timed for a fixed duration. Throughput is also given
 * as a ratio to the raw `write` + `fdatasync` rate of the data directory's disk measured in the
 * same run, since absolute numbers on a shared machine are noise.
 *
 * The nodes run the built raft-kv (`dist/`, which the `bench` script builds first), as users run it:
 * from source, tsx's transform hooks would be measured too.
 *
 * Environment: RAFT_BENCH_DIR (parent of the data directory; default the OS temp directory),
 * KV_BENCH_TRANSPORTS (default "zmq,nats"; an entry may also be the path of a built transport module,
 * as raft-kv's --transport takes, relative to where pnpm was run), KV_BENCH_CLIENTS (default "1,16,64"),
 * KV_BENCH_SECONDS (measured, default 5), KV_BENCH_WARMUP_SECONDS (default 1),
 * KV_BENCH_OPS (default "put-leader,put-followers,get-leader"), KV_BENCH_STORAGE (file, level, lmdb
 * or memory; default file: the targets are for file storage), KV_BENCH_NODE_ARGS (extra raft-kv flags for
 * every node, split on spaces, e.g. "--snapshot-entries 100000"), KV_BENCH_ROUNDS (default 1: how many
 * times to run everything, transports taking turns, a fresh cluster each time; the table then gives
 * medians with the range), KV_BENCH_VERBOSE=1 (node output).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { NatsServer } from '@raft/transport-nats/testing';
import { measureRawFsync, type RawFsync } from '@raft/conformance/storage-suite';
import type { RunningDemo, startDemo as StartDemo } from '../src/demo/supervisor.js';
import { KeepAliveConnection } from './keep-alive-client.js';

const TRANSPORTS = ['zmq', 'nats'] as const;
/** A transport under test: its label in the results and the raft-kv `--transport` value. */
interface Transport {
  readonly name: string;
  readonly option: string;
}
const OPERATIONS = ['put-leader', 'put-followers', 'get-leader'] as const;
const STORAGES = ['file', 'level', 'lmdb', 'memory'] as const;
type Operation = (typeof OPERATIONS)[number];
type Storage = (typeof STORAGES)[number];

const DESCRIPTIONS: Record<Operation, string> = {
  'put-leader': 'PUT → leader',
  'put-followers': 'PUT → followers (forwarded)',
  'get-leader': 'GET → leader (linearizable)',
};

const list = (name: string, fallback: string): string[] =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
/** A positive number of seconds from `name`, in ms; anything else stops the bench. */
function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0) || !Number.isFinite(value)) {
    console.error(`${name}: a positive number of seconds, e.g. ${fallback}; got ${JSON.stringify(process.env[name])}`);
    process.exit(2);
  }
  return value * 1000;
}

/** `values` when each is one of `allowed`; otherwise the bench stops before starting anything. */
function oneOf<T extends string>(name: string, values: readonly string[], allowed: readonly T[]): T[] {
  const wrong = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (wrong.length > 0 || values.length === 0) {
    console.error(`${name}: ${wrong.length > 0 ? `unknown ${wrong.join(', ')}` : 'empty'}; use ${allowed.join(', ')}`);
    process.exit(2);
  }
  return values as T[];
}

/**
 * A transport to bench: `zmq`, `nats`, or a transport module (a file that exists), which the nodes
 * load as raft-kv's `--transport <module>` does; anything else stops the bench.
 */
function transportChoice(value: string): Transport {
  if ((TRANSPORTS as readonly string[]).includes(value)) return { name: value, option: value };
  const path = resolve(process.env['INIT_CWD'] ?? process.cwd(), value);
  if (!existsSync(path)) {
    console.error(`KV_BENCH_TRANSPORTS: ${value} is neither ${TRANSPORTS.join(' nor ')} nor an existing transport module (${path})`);
    process.exit(2);
  }
  return { name: basename(path).replace(/\.[cm]?js$/, ''), option: path };
}

const transports = list('KV_BENCH_TRANSPORTS', TRANSPORTS.join(',')).map(transportChoice);
const clientCounts = list('KV_BENCH_CLIENTS', '1,16,64').map(Number);
if (clientCounts.length === 0 || !clientCounts.every((n) => Number.isInteger(n) && n > 0)) {
  console.error('KV_BENCH_CLIENTS: a comma-separated list of positive integers, e.g. 1,16,64');
  process.exit(2);
}
const operations = oneOf('KV_BENCH_OPS', list('KV_BENCH_OPS', OPERATIONS.join(',')), OPERATIONS);
const [storage] = oneOf('KV_BENCH_STORAGE', [process.env['KV_BENCH_STORAGE'] ?? 'file'], STORAGES) as [Storage];
const durationMs = seconds('KV_BENCH_SECONDS', 5);
const rounds = Number(process.env['KV_BENCH_ROUNDS'] ?? 1);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`KV_BENCH_ROUNDS: a positive integer (how many times to run everything, transports interleaved), got ${JSON.stringify(process.env['KV_BENCH_ROUNDS'])}`);
  process.exit(2);
}
const warmupMs = seconds('KV_BENCH_WARMUP_SECONDS', 1);
const verbose = process.env['KV_BENCH_VERBOSE'] === '1';
const extraNodeArgs = (process.env['KV_BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

const builtSupervisor = new URL('../dist/demo/supervisor.js', import.meta.url);
const { startDemo } = (await import(builtSupervisor.href).catch((error: unknown) => {
  console.error(`cannot load the built raft-kv (${builtSupervisor.pathname}): ${(error as Error).message}; run \`pnpm build\` first`);
  process.exit(2);
})) as { startDemo: typeof StartDemo };
const VALUE = 'v'.repeat(100);
const KEYS_PER_CLIENT = 256;

interface Result {
  readonly transport: string;
  readonly operation: Operation;
  readonly clients: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** 1-minute load average at the end of the measurement: other work on the machine shows here. */
  readonly load: number;
  /** CPU this load generator used while measuring, in cores: CPU the cluster could not have. */
  readonly clientCpu: number;
  /** Mean `storage.save()` (write + fdatasync) time on the leader during the measurement, from its /metrics. */
  readonly leaderSaveMs: number;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One live status line on a terminal; a plain line per finished step otherwise. */
const progress = {
  live: process.stderr.isTTY,
  update(text: string): void {
    if (this.live) process.stderr.write(`\r\x1b[2K${text}`);
  },
  done(text: string): void {
    process.stderr.write(this.live ? `\r\x1b[2K${text}\n` : `${text}\n`);
  },
};

/** The leader's cumulative storage save time and count, from its Prometheus metrics. */
async function saveTotals(base: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { sum: value('raft_storage_save_seconds_sum'), count: value('raft_storage_save_seconds_count') };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Runs `clients` closed-loop clients for warm-up + duration and measures the requests completed
 * inside the measured window.
 */
async function measure(
  label: string,
  clients: number,
  op: (client: number, seq: number) => Promise<boolean>,
): Promise<Pick<Result, 'opsPerSecond' | 'p50Ms' | 'p99Ms' | 'errors' | 'load' | 'clientCpu'>> {
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  const measureFrom = start + warmupMs;
  const measureTo = measureFrom + durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let lastCount = 0;
  let lastAt = start;
  const ticker = setInterval(() => {
    const now = performance.now();
    const done = latencies.length;
    const rate = ((done - lastCount) * 1000) / (now - lastAt);
    const phase = now < measureFrom ? 'warm-up' : `${fmt((now - measureFrom) / 1000, 1)}/${fmt(durationMs / 1000)} s`;
    progress.update(`${label}: ${phase}, ${fmt(rate)} ops/s, ${fmt(done)} done, ${errors} errors`);
    lastCount = done;
    lastAt = now;
  }, 250);
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let seq = 0; performance.now() < measureTo; seq++) {
          const sent = performance.now();
          const ok = await op(client, seq).catch(() => false);
          const received = performance.now();
          if (received < measureFrom || received > measureTo) continue;
          if (ok) latencies.push(received - sent);
          else errors += 1;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const sorted = Float64Array.from(latencies).sort();
  return {
    clientCpu: (cpu.user + cpu.system) / 1000 / (performance.now() - start),
    opsPerSecond: (latencies.length * 1000) / durationMs,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    errors,
    load: loadavg()[0]!,
  };
}

async function benchTransport({ name: transport, option }: Transport, parentDir: string, round: number): Promise<Result[]> {
  const nats = option === 'nats' ? await NatsServer.start() : undefined;
  const dataDir = join(parentDir, `${transport}-${round}`);
  const tag = rounds === 1 ? transport : `${transport}, round ${round}/${rounds}`;
  const tail: string[] = [];
  let demo: RunningDemo | undefined;
  const connections: KeepAliveConnection[] = [];
  try {
    demo = await startDemo({
      nodes: 3,
      transport: option,
      storage,
      dataDir,
      dashboardPort: 0,
      nodeArgs: [...(nats ? ['--nats', nats.url] : []), ...extraNodeArgs],
      onNodeOutput: (id, line) => {
        if (verbose) process.stderr.write(`[node ${id}] ${line}\n`);
        tail.push(`[node ${id}] ${line}`);
        if (tail.length > 30) tail.shift();
      },
    });
    const leaderId = await demo.waitForLeader(30_000);
    const leader = demo.nodes.find((n) => n.id === leaderId)!;
    const followers = demo.nodes.filter((n) => n.id !== leaderId);
    progress.done(`[${tag}] cluster up: leader node ${leaderId} at ${leader.http}, followers ${followers.map((f) => f.id).join(', ')}`);

    const results: Result[] = [];
    for (const clients of clientCounts) {
      for (const operation of operations) {
        const leaderUrl = new URL(leader.http);
        const followerUrls = followers.map((f) => new URL(f.http));
        const target = (client: number): URL => (operation === 'put-followers' ? followerUrls[client % followerUrls.length]! : leaderUrl);
        const clientConnections = Array.from({ length: clients }, (_, client) => new KeepAliveConnection(target(client).hostname, Number(target(client).port)));
        connections.push(...clientConnections);
        const key = (client: number, seq: number): string => `/v1/kv/bench-${client}-${seq % KEYS_PER_CLIENT}`;
        const op =
          operation === 'get-leader'
            ? async (client: number, seq: number) => {
                const status = await clientConnections[client]!.request('GET', key(client, seq));
                return status === 200 || status === 404;
              }
            : async (client: number, seq: number) => (await clientConnections[client]!.request('PUT', key(client, seq), VALUE)) === 200;
        const label = `[${tag}] ${DESCRIPTIONS[operation]}, ${clients} client${clients === 1 ? '' : 's'}`;
        const saveBefore = await saveTotals(leader.http);
        const measured = await measure(label, clients, op);
        const saveAfter = await saveTotals(leader.http);
        const leaderSaveMs = (1000 * (saveAfter.sum - saveBefore.sum)) / (saveAfter.count - saveBefore.count);
        const result: Result = { transport, operation, clients, ...measured, leaderSaveMs };
        for (const connection of clientConnections) connection.close();
        progress.done(
          `${label}: ${fmt(result.opsPerSecond)} ops/s, p50 ${fmt(result.p50Ms, 2)} ms, p99 ${fmt(result.p99Ms, 2)} ms${result.errors ? `, ${result.errors} errors` : ''}`,
        );
        results.push(result);
      }
    }
    const status = (await (await fetch(`${leader.http}/v1/status`)).json()) as { role: string; leader: number };
    if (status.role !== 'leader') progress.done(`[${tag}] warning: node ${leaderId} lost leadership during the run (now ${status.role}); figures are suspect`);
    return results;
  } catch (error) {
    process.stderr.write(`\n[${tag}] failed: ${(error as Error).message}\nlast node output:\n${tail.join('\n')}\n`);
    throw error;
  } finally {
    for (const connection of connections) connection.close();
    await demo?.stop();
    await nats?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The results of one transport × operation × client count over every round. */
interface Cell {
  readonly transport: string;
  readonly operation: Operation;
  readonly clients: number;
  readonly runs: readonly Result[];
}

function cells(results: readonly Result[]): Cell[] {
  const byKey = new Map<string, Cell & { runs: Result[] }>();
  for (const r of results) {
    const key = `${r.transport}|${r.operation}|${r.clients}`;
    const cell = byKey.get(key);
    if (cell === undefined) byKey.set(key, { transport: r.transport, operation: r.operation, clients: r.clients, runs: [r] });
    else cell.runs.push(r);
  }
  return [...byKey.values()];
}

function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `pick` over a cell's runs, with the range after it when there was more than one. */
function spread(cell: Cell, pick: (r: Result) => number, digits: number): string {
  const values = cell.runs.map(pick);
  const text = fmt(median(values), digits);
  return values.length === 1 ? text : `${text} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

function table(results: readonly Result[], fsync: number): string {
  const header = ['transport', 'operation', 'clients', 'ops/s', '÷ raw fsync/s', 'p50 ms', 'p99 ms', 'leader save ms', 'client cpu', 'errors', 'load'];
  const rows = cells(results).map((c) => {
    const saveMs = median(c.runs.map((r) => r.leaderSaveMs));
    return [
      c.transport,
      DESCRIPTIONS[c.operation],
      String(c.clients),
      spread(c, (r) => r.opsPerSecond, 0),
      `${fmt(median(c.runs.map((r) => r.opsPerSecond)) / fsync, 2)}×`,
      spread(c, (r) => r.p50Ms, 2),
      fmt(median(c.runs.map((r) => r.p99Ms)), 2),
      Number.isFinite(saveMs) ? fmt(saveMs, 2) : '–',
      fmt(median(c.runs.map((r) => r.clientCpu)), 2),
      String(c.runs.reduce((n, r) => n + r.errors, 0)),
      fmt(median(c.runs.map((r) => r.load)), 1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const parentDir = await mkdtemp(join(process.env['RAFT_BENCH_DIR'] ?? tmpdir(), 'raft-kv-bench-'));
try {
  const cpu = cpus();
  console.log(`raft-kv HTTP load: 3 raft-kv processes (${storage} storage) + this client on ${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), node ${process.version}`);
  console.log(`closed loop, one request outstanding per client, keep-alive; ${fmt(warmupMs / 1000)} s warm-up + ${fmt(durationMs / 1000)} s measured; 100-byte values`);
  console.log(`data directory: ${parentDir}`);
  console.log('leader save ms: mean write + fdatasync time of the leader\'s log during the measurement (its /metrics); client cpu: cores this load generator used; load: 1-minute load average after it');
  const before: RawFsync = await measureRawFsync(parentDir, 2_000);
  progress.done(`raw write(128 B)+fdatasync before: ${fmt(before.syncsPerSecond)}/s (${fmt(before.meanLatencyMs, 3)} ms)`);
  const results: Result[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const transport of transports) results.push(...(await benchTransport(transport, parentDir, round)));
  }
  const after: RawFsync = await measureRawFsync(parentDir, 2_000);
  progress.done(`raw write(128 B)+fdatasync after: ${fmt(after.syncsPerSecond)}/s (${fmt(after.meanLatencyMs, 3)} ms)`);
  const fsync = (before.syncsPerSecond + after.syncsPerSecond) / 2;
  console.log('');
  console.log(
    `raw write(128 B)+fdatasync on the data directory's disk: ${fmt(fsync)}/s, ${fmt((before.meanLatencyMs + after.meanLatencyMs) / 2, 3)} ms ` +
      `(before ${fmt(before.syncsPerSecond)}/s, after ${fmt(after.syncsPerSecond)}/s)`,
  );
  console.log(table(results, fsync));
  if (rounds > 1) console.log(`${rounds} rounds, transports taking turns: medians, with the range in parentheses (p99, save, cpu and load: medians)`);
  const writes64 = cells(results).filter((c) => c.clients === 64 && c.operation !== 'get-leader');
  const single = cells(results).filter((c) => c.clients === 1 && c.operation === 'put-leader');
  if (storage !== 'file') console.log('the targets below are set for file storage');
  if (writes64.length) {
    const best = writes64.reduce((a, b) => (median(a.runs.map((r) => r.opsPerSecond)) >= median(b.runs.map((r) => r.opsPerSecond)) ? a : b));
    console.log(`target ≥ 10,000 writes/s at 64 clients: best ${spread(best, (r) => r.opsPerSecond, 0)}/s (${best.transport}, ${DESCRIPTIONS[best.operation]})`);
  }
  if (single.length) console.log(`target write p50 < 1 ms at 1 client: ${single.map((c) => `${c.transport} ${spread(c, (r) => r.p50Ms, 2)} ms`).join(', ')}`);
} finally {
  await rm(parentDir, { recursive: true, force: true });
}
