import type { SimCluster } from './cluster.js';
import { InvariantViolation } from './invariants/index.js';
import { RELIABLE } from './network.js';
import { membersOf } from './membership.js';
import type { SimNode } from './sim-node.js';

/**
 * How many ticks a healed cluster may take to elect a leader and commit a proposal on every node,
 * for an election timeout of T ticks:
 *
 * - T: a node that heard a leader recently ignores campaigns for up to T ticks (check-quorum
 *   lease), and a stale leader cut off from its quorum steps down within T;
 * - 8 × 2T: eight election rounds, each over within the longest randomized timeout (2T). In the
 *   healed network a message round trip fits in one tick, so a round fails only on a split vote or
 *   when a node with a stale log times out first; eight failed rounds in a row are vanishingly rare;
 * - 2T: the proposal replicates and its commit reaches every follower by the next AppendEntries
 *   or heartbeat.
 */
export function livenessBoundTicks(electionTicks: number): number {
  return electionTicks + 8 * 2 * electionTicks + 2 * electionTicks;
}

/** How fast the cluster recovered once faults healed. */
export interface LivenessResult {
  /** Ticks until every node followed one leader. */
  readonly leaderAfterTicks: number;
  /** Ticks until the probe proposal was applied on every node. */
  readonly committedAfterTicks: number;
}

/** Most actions one tick may take to settle before the cluster is judged to be livelocked. */
const SETTLE_LIMIT = 100_000;

/**
 * Heals every fault (no partition, a reliable network, every node up), then drives the cluster
 * tick by tick — delivering every message and handling every Ready between ticks — until a leader
 * is followed by all and a probe proposal is applied on every node.
 *
 * @param nextStep - advances the caller's step counter; called before each action.
 * @throws InvariantViolation ('Liveness') when that takes more than `boundTicks`.
 */
export function checkLiveness(cluster: SimCluster, boundTicks: number, probe: string, nextStep: () => void): LivenessResult {
  nextStep();
  if (cluster.network.partitioned) cluster.heal();
  cluster.network.rates = RELIABLE;
  // Every node runs, removed ones too: the others may not know yet that they were removed.
  for (const node of cluster.nodes) if (!node.up) cluster.restart(node);
  cluster.announce({ step: cluster.step, kind: 'liveness', phase: 'start', ticks: 0 });
  let leaderAfterTicks: number | undefined;
  let placed: { index: number; term: number } | undefined;
  for (let ticks = 0; ticks <= boundTicks; ticks++) {
    if (ticks > 0) {
      nextStep();
      cluster.tick(false);
    }
    settle(cluster, nextStep);
    const leader = agreedLeader(memberNodes(cluster));
    if (leader === undefined) continue;
    if (leaderAfterTicks === undefined) {
      leaderAfterTicks = ticks;
      cluster.announce({ step: cluster.step, kind: 'liveness', phase: 'leader', ticks, node: leader.id });
    }
    // A probe appended by an earlier leader may never commit (a later leader's log can lack it).
    if (placed === undefined || lost(cluster, placed) || leader.term > placed.term) {
      nextStep();
      placed = cluster.propose(leader, probe);
      settle(cluster, nextStep);
    }
    if (placed !== undefined && appliedEverywhere(cluster, memberNodes(cluster), placed)) {
      cluster.announce({ step: cluster.step, kind: 'liveness', phase: 'committed', ticks });
      return { leaderAfterTicks, committedAfterTicks: ticks };
    }
  }
  const state = memberNodes(cluster).map((n) => `n${n.id} ${n.role} t${n.term} leader n${n.leader} applied ${n.applied}`).join('; ');
  throw new InvariantViolation(
    'Liveness',
    leaderAfterTicks === undefined
      ? `no leader followed by all nodes within ${boundTicks} ticks after faults healed (${state})`
      : `probe proposal ${placed === undefined ? 'never accepted' : `at ${placed.index}/t${placed.term} not applied on every node`} within ${boundTicks} ticks after faults healed (${state})`,
  );
}

/** Delivers every message and handles every Ready until the cluster is quiet. */
function settle(cluster: SimCluster, nextStep: () => void): void {
  for (let actions = 0; actions < SETTLE_LIMIT; actions++) {
    const dirty = cluster.nodes.find((n) => n.dirty);
    nextStep();
    if (dirty !== undefined) cluster.handleReady(dirty);
    else if (!cluster.deliver()) return;
  }
  throw new InvariantViolation('Liveness', `the healed cluster still exchanged messages after ${SETTLE_LIMIT} actions within one tick (a message storm)`);
}

/** The running members of the latest configuration (membership changes may have removed some nodes). */
function memberNodes(cluster: SimCluster): SimNode[] {
  const members = membersOf(cluster.conf);
  return cluster.nodes.filter((n) => members.has(n.id));
}

/** The leader every member follows in the same term, if there is one. */
function agreedLeader(nodes: readonly SimNode[]): SimNode | undefined {
  const leader = nodes.find((n) => n.role === 'leader');
  if (leader === undefined) return undefined;
  return nodes.every((n) => n.term === leader.term && n.leader === leader.id) ? leader : undefined;
}

function appliedEverywhere(cluster: SimCluster, nodes: readonly SimNode[], placed: { index: number; term: number }): boolean {
  const committed = cluster.invariants.stateMachineSafety.committedAt(placed.index);
  return committed?.entry.term === placed.term && nodes.every((n) => n.applied >= placed.index);
}

/** The probe's slot was committed with another entry: it was overwritten and must be proposed again. */
function lost(cluster: SimCluster, placed: { index: number; term: number }): boolean {
  const committed = cluster.invariants.stateMachineSafety.committedAt(placed.index);
  return committed !== undefined && committed.entry.term !== placed.term;
}
