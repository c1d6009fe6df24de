import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HistoryRecorder, runConformance, writeRunArtifacts, type JsonValue, type RunSummary } from '@raft/conformance';
import { LocalKvCluster, MemoryKvCluster } from '@raft/kv';
import type { RunConfig } from './options.js';
import { ProgressLine } from './progress-line.js';

/** What one run produced. */
export interface RunOutcome {
  readonly config: RunConfig;
  readonly dir: string;
  readonly summary: RunSummary;
  /** Why the run failed besides the verdict (a node crashed, the cluster did not recover...). */
  readonly problems: readonly string[];
  /** Linearizable, and the cluster recovered: the run passed. */
  readonly passed: boolean;
}

/** Where a run's artifacts go, and what it may use. */
export interface RunPlace {
  readonly dir: string;
  /** The NATS server URL, when the transport is NATS. */
  readonly natsUrl?: string | undefined;
  readonly verbose: boolean;
}

/** How a run describes itself in summary.json and at the top of the report. */
export function describeRun(config: RunConfig): Record<string, JsonValue> {
  return {
    transport: config.transport,
    storage: config.storage,
    nodes: config.nodes,
    seconds: config.seconds,
    nemesis: config.faults.length > 0 ? config.faults.join(',') : 'none',
    seed: config.seed,
    clients: config.clients,
    keys: config.keys,
    rate: config.rate,
    reads: config.staleReads ? 'stale (?consistency=stale)' : config.readMode === 'lease' ? 'linearizable, leader lease' : 'linearizable',
  };
}

/** A short name for a configuration: `zmq-file`, or the module's file name for a module path. */
export function configName(config: RunConfig): string {
  const name = (adapter: string): string => (adapter.startsWith('/') ? basename(adapter).replace(/\.[cm]?[jt]s$/, '') : adapter);
  return `${name(config.transport)}-${name(config.storage)}`;
}

/**
 * One conformance run: starts a raft-kv cluster (OS processes, or nodes inside this process over
 * `--transport memory`), runs the workload under the
 * nemesis, stops the cluster, checks the history and writes `history.jsonl`, `summary.json`,
 * `report.html` and each node's log (`nodes/node-<id>.log`) into `place.dir`. The nodes' data is
 * deleted after a passing run and kept after a failing one.
 */
export async function runOne(config: RunConfig, place: RunPlace): Promise<RunOutcome> {
  const dir = place.dir;
  await mkdir(join(dir, 'nodes'), { recursive: true });
  const recorder = new HistoryRecorder();
  const problems: string[] = [];
  const logs = new Map<number, WriteStream>();
  const logOf = (id: number): WriteStream => {
    let log = logs.get(id);
    if (!log) logs.set(id, (log = createWriteStream(join(dir, 'nodes', `node-${id}.log`), { flags: 'a' })));
    return log;
  };
  const nodeArgs = [
    '--timeout-ms', '1000',
    '--snapshot-entries', String(config.snapshotEntries),
    '--read-mode', config.readMode,
    ...(place.natsUrl !== undefined ? ['--nats', place.natsUrl] : []),
  ];
  const onNodeOutput = (id: number, line: string): void => {
    logOf(id).write(`${line}\n`);
    if (place.verbose) process.stderr.write(`[node ${id}] ${line}\n`);
  };
  const dataDir = join(dir, 'data');
  const cluster =
    config.transport === 'memory'
      ? await MemoryKvCluster.start({ nodes: config.nodes, storage: config.storage as 'memory' | 'file', dataDir, nodeArgs, onNodeOutput })
      : await LocalKvCluster.start({
          nodes: config.nodes,
          transport: config.transport,
          storage: config.storage,
          dataDir,
          nodeArgs,
          onNodeOutput,
          onNodeExit: (id, exit) => {
            if (exit.expected) return;
            recorder.nemesis('crash', { node: id, code: exit.code, signal: exit.signal });
            problems.push(`node ${id} exited on its own (code ${exit.code}, signal ${exit.signal}); see nodes/node-${id}.log`);
          },
        });
  const progress = new ProgressLine(configName(config));
  try {
    await cluster.waitForLeader(30_000);
    const result = await runConformance({
      cluster,
      seconds: config.seconds,
      clients: config.clients,
      keys: config.keys,
      rate: config.rate,
      faults: config.faults,
      seed: config.seed,
      staleReads: config.staleReads,
      recorder,
      onProgress: (p) => progress.update(p),
    });
    problems.push(...result.problems);
  } catch (error) {
    problems.push(`the run stopped early: ${(error as Error).message}`);
  } finally {
    progress.done();
    await cluster.stop();
    await Promise.all([...logs.values()].map((log) => new Promise((done) => log.end(done))));
  }
  const artifacts = await writeRunArtifacts(dir, recorder.events, { ...describeRun(config), problems });
  const passed = artifacts.summary.verdict === 'valid' && problems.length === 0;
  if (passed) await rm(join(dir, 'data'), { recursive: true, force: true });
  return { config, dir, summary: artifacts.summary, problems, passed };
}
