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
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsServer } from '@raft/transport-nats/testing';
import { measureRawFsync, type RawFsync } from '@raft/conformance/storage-suite';
import type { RunningDemo, startDemo as StartDemo } from '../src/demo/supervisor.js';
import { KeepAliveConnection } from './keep-alive-client.js';
import { fmt, resultsTable, targetLines, type Result } from './results.js';
import { DESCRIPTIONS, SettingsError, readSettings, type BenchSettings, type Transport } from './settings.js';

let settings: BenchSettings;
try {
  settings = readSettings(process.env, process.env['INIT_CWD'] ?? process.cwd());
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { transports, clientCounts, operations, storage, durationMs, warmupMs, rounds, nodeArgs: extraNodeArgs, verbose } = settings;

const builtSupervisor = new URL('../dist/demo/supervisor.js', import.meta.url);
const { startDemo } = (await import(builtSupervisor.href).catch((error: unknown) => {
  console.error(`cannot load the built raft-kv (${builtSupervisor.pathname}): ${(error as Error).message}; run \`pnpm build\` first`);
  process.exit(2);
})) as { startDemo: typeof StartDemo };
const VALUE = 'v'.repeat(100);
const KEYS_PER_CLIENT = 256;

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
  /** The connections of the step being measured, closed when it ends or fails. */
  let connections: KeepAliveConnection[] = [];
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
        const perClient = Array.from({ length: clients }, (_, client) => new KeepAliveConnection(target(client).hostname, Number(target(client).port)));
        connections = perClient;
        const key = (client: number, seq: number): string => `/v1/kv/bench-${client}-${seq % KEYS_PER_CLIENT}`;
        const op =
          operation === 'get-leader'
            ? async (client: number, seq: number) => {
                const status = await perClient[client]!.request('GET', key(client, seq));
                return status === 200 || status === 404;
              }
            : async (client: number, seq: number) => (await perClient[client]!.request('PUT', key(client, seq), VALUE)) === 200;
        const label = `[${tag}] ${DESCRIPTIONS[operation]}, ${clients} client${clients === 1 ? '' : 's'}`;
        const saveBefore = await saveTotals(leader.http);
        const measured = await measure(label, clients, op);
        const saveAfter = await saveTotals(leader.http);
        const leaderSaveMs = (1000 * (saveAfter.sum - saveBefore.sum)) / (saveAfter.count - saveBefore.count);
        const result: Result = { transport, operation, clients, ...measured, leaderSaveMs };
        for (const open of perClient) open.close();
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
    for (const open of connections) open.close();
    await demo?.stop();
    await nats?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
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
  console.log(resultsTable(results, fsync));
  for (const line of targetLines(results, storage, rounds)) console.log(line);
} finally {
  await rm(parentDir, { recursive: true, force: true });
}
