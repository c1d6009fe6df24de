import type { NetworkRates } from './network.js';
import type { SimRandom } from './prng.js';

/**
 * How hostile one simulated run is. Drawn from the seed, so a sweep over seeds explores calm and
 * stormy clusters alike; any field can be overridden.
 *
 * The `*Weight` fields are relative weights of scheduler actions (see the scheduler): the larger,
 * the more often that action is picked among the steps.
 */
export interface FaultProfile {
  readonly network: NetworkRates;
  /** Crash a running node. */
  readonly crashWeight: number;
  /** Restart a crashed node (per crashed node). */
  readonly restartWeight: number;
  /** Split the cluster into random groups. */
  readonly partitionWeight: number;
  /** Remove the partition. */
  readonly healWeight: number;
  /** A client proposes a command. */
  readonly proposeWeight: number;
  /** A client asks for a linearizable read. */
  readonly readWeight: number;
  /** An operator asks the leader to hand leadership to another node. */
  readonly transferWeight: number;
  /** An operator forces a node to campaign. */
  readonly campaignWeight: number;
  /** Probability that a node misses a tick (its clock runs slow). */
  readonly clockSkew: number;
  /** Probability that a crashing leader has already sent the AppendEntries of an unpersisted Ready. */
  readonly crashMidWrite: number;
  /** Node configuration: pre-vote on or off. */
  readonly preVote: boolean;
  /** Node configuration: check-quorum on or off. */
  readonly checkQuorum: boolean;
  /**
   * Node configuration: bytes of entry data per AppendEntries. Tiny limits spread a leader's
   * backlog over many messages, so older-term entries can reach a quorum before the new leader's
   * no-op does — the situation of Raft's Figure 8.
   */
  readonly maxMessageBytes: number;
  /** Node configuration: AppendEntries in flight per follower. */
  readonly maxInflight: number;
  /** An operator changes the membership (adds, promotes, removes, swaps through a joint configuration). */
  readonly membershipWeight: number;
  /** A node snapshots its applied state and compacts its log. */
  readonly compactWeight: number;
  /**
   * Node configuration: serve reads by lease instead of a heartbeat round. Only drawn with
   * check-quorum on and no clock skew: a lease is sound only while ticks run at the same rate.
   */
  readonly leaseReads: boolean;
  /**
   * Clocks tick at the same rate but not at the same instant: each node ticks in a slot of its own
   * within the tick period, and messages and Readies are handled between the slots. Off, every
   * node ticks at once. Leases must hold either way (the tick phases of real machines differ).
   */
  readonly clockPhases: boolean;
}

/** Draws a fault profile from the run's random stream. */
export function drawFaultProfile(random: SimRandom): FaultProfile {
  return {
    network: {
      drop: random.pick([0, 0.02, 0.1, 0.25]),
      duplicate: random.pick([0, 0.02, 0.1]),
      delay: random.pick([0, 0.1, 0.3]),
      reorder: random.pick([0, 0.1, 0.5]),
      maxDelay: 1 + random.int(8),
    },
    crashWeight: random.pick([0, 0.1, 0.3, 1]),
    restartWeight: random.between(0.2, 1.5),
    partitionWeight: random.pick([0, 0.05, 0.2, 0.5]),
    // Low enough that partitions often outlast an election timeout.
    healWeight: random.between(0.05, 0.6),
    proposeWeight: random.between(0.5, 3),
    readWeight: random.between(0, 0.5),
    transferWeight: random.pick([0, 0.02, 0.1]),
    campaignWeight: random.pick([0, 0.02, 0.1]),
    clockSkew: random.pick([0, 0.05, 0.2]),
    crashMidWrite: random.pick([0, 0.5]),
    preVote: random.chance(0.75),
    checkQuorum: random.chance(0.75),
    maxMessageBytes: random.pick([1, 16, 1 << 20]),
    maxInflight: random.pick([1, 4, 256]),
    // Drawn last, so adding them kept every earlier field of every seed's profile unchanged.
    membershipWeight: random.pick([0, 0, 0.05, 0.2]),
    compactWeight: random.pick([0, 0.05, 0.3]),
    leaseReads: random.chance(0.5),
    clockPhases: random.chance(0.5),
  };
}
