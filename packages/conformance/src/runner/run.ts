import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { seededRandom } from '@raft/core';
import { HistoryRecorder } from '../history/recorder.js';
import type { HistoryEvent } from '../history/types.js';
import { changeMember, type Fault } from '../nemesis/faults.js';
import { runNemesis } from '../nemesis/schedule.js';
import { finalReads, runRegisterWorkload } from '../workload/register-workload.js';
import type { ClusterUnderTest } from './cluster-under-test.js';

/** Options of {@link runConformance}. */
export interface ConformanceRunOptions {
  /** A started cluster; {@link runConformance} does not stop it. */
  readonly cluster: ClusterUnderTest;
  /** Length of the workload under faults, in seconds (the heal and final reads come after). */
  readonly seconds: number;
  /** Concurrent clients; default 10. */
  readonly clients?: number;
  /** Registers; default 5. */
  readonly keys?: number;
  /** Target operations per second over all clients; default 100. */
  readonly rate?: number;
  readonly faults: readonly Fault[];
  /** Seeds the workload's and the nemesis's random choices. */
  readonly seed: number;
  /** Read with `?consistency=stale` (not linearizable: the checker must say so). */
  readonly staleReads?: boolean;
  /** A client gives up on an answer after this long and records `info`; default 3000. */
  readonly operationTimeoutMs?: number;
  /** How long each fault lasts, in ms; default `[2000, 5000]`. */
  readonly faultMs?: readonly [number, number];
  /** How long the cluster is left alone between faults, in ms; default `[1000, 3000]`. */
  readonly quietMs?: readonly [number, number];
  /** The recorder to use (e.g. one a caller also feeds node crashes into); a new one by default. */
  readonly recorder?: HistoryRecorder;
  /** Called about once a second while the run goes on. */
  readonly onProgress?: (progress: RunProgress) => void;
}

/** Where a run stands. */
export interface RunProgress {
  readonly phase: 'workload' | 'heal' | 'final reads';
  readonly elapsedSeconds: number;
  readonly seconds: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  /** The fault in effect, in words. */
  readonly fault: string | undefined;
}

/** What a run leaves to check and report. */
export interface ConformanceRunResult {
  readonly events: readonly HistoryEvent[];
  /** Keys no node could read after the heal (the cluster did not recover in time). */
  readonly unreadKeys: readonly string[];
  /** Why the run could not complete as planned (a node would not restart, no leader after healing). */
  readonly problems: readonly string[];
}

/**
 * One conformance run against a live cluster: the register workload for `seconds` while the
 * nemesis injects faults, then every fault undone (paused nodes resumed, killed ones restarted,
 * the network healed), a leader awaited, and a final read of every key. The history it returns is
 * what the checker judges; problems are reported besides it.
 */
export async function runConformance(options: ConformanceRunOptions): Promise<ConformanceRunResult> {
  const recorder = options.recorder ?? new HistoryRecorder();
  const random = seededRandom(options.seed);
  const clientOptions = { timeoutMs: options.operationTimeoutMs ?? 3000, staleReads: options.staleReads ?? false };
  const endpoints = options.cluster.members.map((m) => m.http);
  const keys = options.keys ?? 5;
  const clients = options.clients ?? 10;
  const problems: string[] = [];
  const counts = { ok: 0, fail: 0, info: 0 };
  let lastProcess = 0;
  recorder.onEvent((event) => {
    if (event.process === 'nemesis') return;
    lastProcess = Math.max(lastProcess, event.process);
    if (event.type !== 'invoke') counts[event.type] += 1;
  });
  let phase: RunProgress['phase'] = 'workload';
  let fault: string | undefined;
  const started = performance.now();
  const progress = setInterval(() => {
    options.onProgress?.({ phase, elapsedSeconds: (performance.now() - started) / 1000, seconds: options.seconds, ...counts, fault });
  }, 1000);

  try {
    const stop = new AbortController();
    // Every client and the nemesis wait on it at once.
    setMaxListeners(clients + 8, stop.signal);
    const workload = runRegisterWorkload(recorder, {
      endpoints, clients, keys, rate: options.rate ?? 100, client: clientOptions,
      random: seededRandom(Math.floor(random() * 2 ** 32)), signal: stop.signal,
    });
    const nemesis = runNemesis({
      cluster: options.cluster, recorder, random: seededRandom(Math.floor(random() * 2 ** 32)),
      faults: options.faults, faultMs: options.faultMs ?? [2000, 5000], quietMs: options.quietMs ?? [1000, 3000],
      signal: stop.signal, onFault: (description) => (fault = description),
    }).catch((error: Error) => {
      problems.push(`a fault could not be undone: ${error.message}`);
    });
    await delay(options.seconds * 1000);
    stop.abort();
    await Promise.all([workload, nemesis]);

    phase = 'heal';
    await healAll(options.cluster, recorder, problems);
    const leader = await options.cluster.waitForLeader(30_000).catch((error: Error) => {
      problems.push(`no leader after healing: ${error.message}`);
    });
    if (leader !== undefined) {
      if (options.faults.includes('membership')) await restoreVoters(options.cluster, leader, problems);
      recorder.nemesis('healed', { leader });
    }

    phase = 'final reads';
    const unreadKeys = await finalReads(recorder, { endpoints, keys, client: clientOptions, process: lastProcess + 1, deadline: performance.now() + 30_000 });
    if (unreadKeys.length > 0) problems.push(`no node answered a read of ${unreadKeys.join(', ')} within 30 s after healing`);
    return { events: recorder.events, unreadKeys, problems };
  } finally {
    clearInterval(progress);
  }
}

/** Undoes every fault: resumes paused nodes, restarts killed ones, heals the network. */
async function healAll(cluster: ClusterUnderTest, recorder: HistoryRecorder, problems: string[]): Promise<void> {
  recorder.nemesis('heal');
  for (const { id } of cluster.members) {
    try {
      if (cluster.isPaused(id)) await cluster.resume(id);
      if (!cluster.isRunning(id)) await cluster.restart(id);
      await cluster.network(id, {});
    } catch (error) {
      problems.push(`node ${id} could not be healed: ${(error as Error).message}`);
    }
  }
}

/** Promotes back any node a membership fault left a learner (its promotion failed under faults). */
async function restoreVoters(cluster: ClusterUnderTest, leader: number, problems: string[]): Promise<void> {
  const members = await fetch(`${cluster.members.find((m) => m.id === leader)!.http}/v1/members`, { signal: AbortSignal.timeout(5_000) })
    .then(async (reply) => (reply.ok ? ((await reply.json()) as { learners: number[] }) : Promise.reject(new Error(`HTTP ${reply.status}`))))
    .catch((error: Error) => {
      problems.push(`the leader's member list could not be read after healing: ${error.message}`);
    });
  for (const id of members?.learners ?? []) {
    await changeMember(cluster, id, 'voter').catch((error: Error) => problems.push(error.message));
  }
}
