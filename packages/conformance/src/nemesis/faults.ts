import { setTimeout as delay } from 'node:timers/promises';
import type { HistoryRecorder } from '../history/recorder.js';
import type { JsonValue } from '../history/types.js';
import type { ClusterUnderTest } from '../runner/cluster-under-test.js';
import { partition, PARTITION_PATTERNS } from './partitions.js';

/** The faults the nemesis can inject. */
export const FAULTS = ['partition', 'kill', 'pause', 'flaky', 'membership'] as const;
/** @see {@link FAULTS} */
export type Fault = (typeof FAULTS)[number];

/** A fault in effect, and how to undo it. */
export interface ActiveFault {
  readonly fault: Fault;
  /** What it did, in words (for the progress line). */
  readonly description: string;
  /** Undoes it and records `stop-<fault>`. */
  stop(): Promise<void>;
}

/** What a fault needs to act. */
export interface FaultContext {
  readonly cluster: ClusterUnderTest;
  readonly recorder: HistoryRecorder;
  readonly random: () => number;
}

/**
 * Starts a fault and records `start-<fault>` with what it did:
 * - `partition`: one of {@link PARTITION_PATTERNS}, chosen at random;
 * - `kill`: SIGKILLs a minority of the nodes (the leader half of the time); undone by restarting
 *   them from their data directories;
 * - `pause`: SIGSTOPs a minority (the leader half of the time); undone by SIGCONT;
 * - `flaky`: every node loses 10–30 % of what it sends, duplicates 10 %, and delays each message by
 *   up to 20–100 ms, which reorders them;
 * - `membership`: demotes a voter (the leader half of the time) to a learner through the KV
 *   service's `POST /v1/members/:id`, a joint-consensus change; undone by promoting it back.
 */
export async function startFault(fault: Fault, context: FaultContext): Promise<ActiveFault> {
  const { cluster, recorder, random } = context;
  const ids = cluster.members.map((m) => m.id);
  const leader = await currentLeader(cluster);
  switch (fault) {
    case 'partition': {
      const pattern = PARTITION_PATTERNS[Math.floor(random() * PARTITION_PATTERNS.length)]!;
      const cut = partition(pattern, ids, random, leader);
      recorder.nemesis('start-partition', { pattern: cut.pattern, groups: cut.description, blocked: Object.fromEntries(cut.blocked) as JsonValue });
      await Promise.all(ids.map((id) => cluster.network(id, { blocked: cut.blocked.get(id)! })));
      return {
        fault,
        description: `partition ${cut.description}`,
        async stop() {
          await Promise.all(ids.map((id) => cluster.network(id, {})));
          recorder.nemesis('stop-partition');
        },
      };
    }
    case 'flaky': {
      const faults = { drop: round(0.1 + random() * 0.2), duplicate: 0.1, delayMs: Math.round(20 + random() * 80) };
      recorder.nemesis('start-flaky', faults);
      await Promise.all(ids.map((id) => cluster.network(id, faults)));
      return {
        fault,
        description: `flaky network: ${Math.round(faults.drop * 100)}% lost, 10% duplicated, delays up to ${faults.delayMs} ms`,
        async stop() {
          await Promise.all(ids.map((id) => cluster.network(id, {})));
          recorder.nemesis('stop-flaky');
        },
      };
    }
    case 'membership': {
      const target = leader !== undefined && random() < 0.5 ? leader : ids[Math.floor(random() * ids.length)]!;
      recorder.nemesis('start-membership', { learner: target, leader: leader ?? null });
      await changeMember(cluster, target, 'learner');
      return {
        fault,
        description: `membership: node ${target} demoted to learner`,
        async stop() {
          await changeMember(cluster, target, 'voter');
          recorder.nemesis('stop-membership', { voter: target });
        },
      };
    }
    case 'kill':
    case 'pause': {
      const targets = minority(ids, random, leader).filter((id) => cluster.isRunning(id) && !cluster.isPaused(id));
      recorder.nemesis(`start-${fault}`, { nodes: targets, leader: leader ?? null });
      if (fault === 'kill') await Promise.all(targets.map((id) => cluster.kill(id)));
      else for (const id of targets) cluster.pause(id);
      return {
        fault,
        description: `${fault} ${targets.join(',')}${leader !== undefined && targets.includes(leader) ? ' (the leader)' : ''}`,
        async stop() {
          await Promise.all(targets.map((id) => (fault === 'kill' ? cluster.restart(id) : cluster.resume(id))));
          recorder.nemesis(`stop-${fault}`, { nodes: targets });
        },
      };
    }
  }
}

/** The node that says it leads, if one answers. */
export async function currentLeader(cluster: ClusterUnderTest): Promise<number | undefined> {
  const statuses = await Promise.all(cluster.members.filter((m) => cluster.isRunning(m.id) && !cluster.isPaused(m.id)).map((m) => cluster.status(m.id)));
  return statuses.find((s) => s?.role === 'leader')?.leader;
}

/** One to ⌊(n−1)/2⌋ nodes: the leader (when known) half of the time, then random others. */
function minority(ids: readonly number[], random: () => number, leader: number | undefined): number[] {
  const count = 1 + Math.floor(random() * Math.max(1, Math.floor((ids.length - 1) / 2)));
  const pool = [...ids];
  const chosen: number[] = [];
  if (leader !== undefined && random() < 0.5) {
    chosen.push(leader);
    pool.splice(pool.indexOf(leader), 1);
  }
  while (chosen.length < count) chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  return chosen.sort((a, b) => a - b);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Makes `id` a learner or a voter through any node that answers (followers forward membership
 * changes to the leader), retrying for up to 30 s while the cluster refuses (another change in
 * flight, no leader).
 * @throws Error when no node carried the change out in time.
 */
export async function changeMember(cluster: ClusterUnderTest, id: number, as: 'learner' | 'voter'): Promise<void> {
  const deadline = performance.now() + 30_000;
  let last = '';
  for (let attempt = 0; performance.now() < deadline; attempt++) {
    const up = cluster.members.filter((m) => cluster.isRunning(m.id) && !cluster.isPaused(m.id));
    const via = up[attempt % Math.max(up.length, 1)];
    if (via !== undefined) {
      try {
        const reply = await fetch(`${via.http}/v1/members/${id}`, { method: 'POST', body: JSON.stringify({ as }), signal: AbortSignal.timeout(5_000) });
        if (reply.ok) return;
        last = `HTTP ${reply.status} ${await reply.text()}`;
      } catch (error) {
        last = (error as Error).message;
      }
    }
    await delay(200);
  }
  throw new Error(`node ${id} could not be made a ${as} within 30 s (last answer: ${last})`);
}
