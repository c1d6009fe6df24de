import type { NodeId } from '@raft/core';
import type { SimCluster } from './cluster.js';
import type { FaultProfile } from './fault-profile.js';
import { drawConfChange } from './membership.js';
import type { SimRandom } from './prng.js';
import type { SimNode } from './sim-node.js';

/**
 * Weights of the routine actions. Delivery and Ready handling scale with the work waiting, so the
 * cluster neither starves (time racing ahead of messages) nor stalls (messages piling up).
 */
const TICK_WEIGHT = 3;
const READY_WEIGHT_PER_NODE = 4;
const DELIVER_WEIGHT_PER_MESSAGE = 2;
const DELIVER_WEIGHT_CAP = 40;

type Action = (cluster: SimCluster, random: SimRandom) => void;

/**
 * Picks and performs one action on the cluster: the unit of a simulation step. Every choice is
 * drawn from `random`, so a seed fixes the whole schedule.
 */
export class Scheduler {
  private readonly weights: number[] = [];
  private readonly actions: Action[] = [];

  constructor(
    private readonly profile: FaultProfile,
    private readonly random: SimRandom,
  ) {}

  /** Performs one action. */
  step(cluster: SimCluster): void {
    this.weights.length = 0;
    this.actions.length = 0;
    const up = cluster.nodes.filter((n) => n.up);
    const down = cluster.nodes.length - up.length;
    const dirty = up.filter((n) => n.dirty).length;
    const p = this.profile;
    // With clock phases a tick action moves one node's clock: as many actions make one period.
    this.offer(p.clockPhases ? TICK_WEIGHT * cluster.nodes.length : TICK_WEIGHT, tick);
    this.offer(READY_WEIGHT_PER_NODE * dirty, handleReady);
    this.offer(Math.min(DELIVER_WEIGHT_CAP, DELIVER_WEIGHT_PER_MESSAGE * cluster.network.size), deliver);
    if (up.length > 0) {
      this.offer(p.proposeWeight, propose);
      this.offer(p.readWeight, read);
      this.offer(p.transferWeight, transfer);
      this.offer(p.campaignWeight, campaign);
      this.offer(p.crashWeight, crash);
      this.offer(p.membershipWeight, changeMembership);
      this.offer(p.compactWeight, compact);
    }
    this.offer(p.restartWeight * down, restart);
    this.offer(p.partitionWeight, partition);
    if (cluster.network.partitioned) this.offer(p.healWeight, heal);
    this.choose()(cluster, this.random);
  }

  private offer(weight: number, action: Action): void {
    if (weight <= 0) return;
    this.weights.push(weight);
    this.actions.push(action);
  }

  private choose(): Action {
    let total = 0;
    for (const w of this.weights) total += w;
    let point = this.random.next() * total;
    for (let i = 0; i < this.weights.length; i++) {
      point -= this.weights[i] as number;
      if (point < 0) return this.actions[i] as Action;
    }
    return this.actions[this.actions.length - 1] as Action;
  }
}

function upNodes(cluster: SimCluster): SimNode[] {
  return cluster.nodes.filter((n) => n.up);
}

/** Clients mostly find the leader; sometimes they ask whoever they reach. */
function clientTarget(cluster: SimCluster, random: SimRandom): SimNode {
  const leaders = cluster.nodes.filter((n) => n.role === 'leader');
  return leaders.length > 0 && random.chance(0.8) ? random.pick(leaders) : random.pick(upNodes(cluster));
}

const tick: Action = (cluster) => cluster.advanceClocks(true);

const handleReady: Action = (cluster, random) => cluster.handleReady(random.pick(cluster.nodes.filter((n) => n.dirty)));

// Nothing deliverable yet (everything in flight is delayed): let time pass instead.
const deliver: Action = (cluster, random) => {
  if (!cluster.deliver()) tick(cluster, random);
};

const propose: Action = (cluster, random) => void cluster.propose(clientTarget(cluster, random));

const read: Action = (cluster, random) => cluster.readIndex(clientTarget(cluster, random));

const transfer: Action = (cluster, random) => {
  const from = clientTarget(cluster, random);
  const others = cluster.nodes.filter((n) => n.id !== from.id);
  cluster.transferLeadership(from, random.pick(others).id);
};

const campaign: Action = (cluster, random) => cluster.campaign(random.pick(upNodes(cluster)));

const changeMembership: Action = (cluster, random) => {
  const node = clientTarget(cluster, random);
  const ids = cluster.nodes.map((n) => n.id);
  cluster.changeMembership(node, drawConfChange(node.running.status().conf, ids, random));
};

const compact: Action = (cluster, random) => cluster.compact(random.pick(upNodes(cluster)));

const crash: Action = (cluster, random) => cluster.crash(random.pick(upNodes(cluster)));

const restart: Action = (cluster, random) => cluster.restart(random.pick(cluster.nodes.filter((n) => !n.up)));

const heal: Action = (cluster) => cluster.heal();

/** Splits the nodes at random into two or three groups (often isolating a single node). */
const partition: Action = (cluster, random) => {
  const ids: NodeId[] = cluster.nodes.map((n) => n.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [ids[i], ids[j]] = [ids[j] as NodeId, ids[i] as NodeId];
  }
  const cut = random.chance(0.4) ? 1 : 1 + random.int(ids.length - 1);
  const rest = ids.slice(cut);
  const groups = random.chance(0.2) && rest.length > 1 ? [ids.slice(0, cut), rest.slice(0, 1), rest.slice(1)] : [ids.slice(0, cut), rest];
  cluster.partition(groups);
};
