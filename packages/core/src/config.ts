import type { NodeId } from './types.js';

/** How a leader serves a linearizable read. */
export type ReadOnlyMode =
  /** ReadIndex: confirm leadership with a heartbeat round to a quorum before serving. */
  | 'safe'
  /**
   * Lease: serve without a round trip while a quorum acknowledged heartbeats sent less than one
   * election timeout ago (otherwise fall back to a heartbeat round). Relies on ticks running at the
   * same rate on every node (bounded clock drift); requires `checkQuorum`, and every node of the
   * cluster must use the same mode: in lease mode a restarted node refuses votes for one election
   * timeout so it cannot help elect a leader while the old lease may still count on it.
   */
  | 'lease';

/** Settings of one Raft node. Times are in ticks: the core has no clock of its own. */
export interface RaftConfig {
  /** This node's id (a positive integer). */
  readonly id: NodeId;
  /**
   * Base election timeout T in ticks. A follower that hears no leader campaigns after a random
   * timeout in `[T, 2T)`, redrawn every time it resets. Must exceed `heartbeatTicks`.
   */
  readonly electionTicks: number;
  /** A leader sends heartbeats every this many ticks. */
  readonly heartbeatTicks: number;
  /**
   * A uniform random number in `[0, 1)`. Inject a seeded generator (see {@link seededRandom}) to
   * make a node, and a whole simulated cluster, deterministic.
   */
  readonly random: () => number;
  /** Ask for pre-votes before campaigning, so a partitioned node cannot disrupt the cluster. Default `true`. */
  readonly preVote?: boolean;
  /** A leader steps down when it has not heard from a quorum within an election timeout. Default `true`. */
  readonly checkQuorum?: boolean;
  /** How linearizable reads are served. Default `'safe'`. */
  readonly readOnly?: ReadOnlyMode;
  /** Upper bound on the bytes of entry data in one AppendEntries. Default 1 MiB. */
  readonly maxMessageBytes?: number;
  /** Most AppendEntries in flight to one follower before waiting for acknowledgements. Default 256. */
  readonly maxInflight?: number;
  /** Upper bound on the bytes of committed entry data handed out in one Ready. Default 64 MiB. */
  readonly maxApplyBytes?: number;
  /**
   * Index the state machine already reflects when the node starts (for example restored from its
   * own snapshot or durable state). Committed entries up to here are not handed out again.
   * Default: the storage snapshot's index, so a restarted node re-applies its committed log.
   */
  readonly applied?: number;
}
