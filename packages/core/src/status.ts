import type { ProgressState } from './tracker/progress.js';
import type { ConfState, NodeId, Role } from './types.js';

export type { ProgressState } from './tracker/progress.js';

/** A leader's view of one member's replication. */
export interface ProgressStatus {
  /** Highest index known replicated on the member. */
  readonly match: number;
  /** Next index the leader will send. */
  readonly next: number;
  readonly state: ProgressState;
  /** Heard from within the current check-quorum round. */
  readonly recentActive: boolean;
  /** AppendEntries sent and not yet acknowledged. */
  readonly inflight: number;
}

/** A point-in-time view of a node, from {@link RawNode.status}. */
export interface NodeStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  /** The vote cast in `term`, or 0. */
  readonly vote: NodeId;
  /** The leader this node believes in, or 0. */
  readonly leader: NodeId;
  /** Highest committed index known. */
  readonly commit: number;
  /** Highest index whose application was acknowledged by `advance`. */
  readonly applied: number;
  /** First index held in the log (after the snapshot). */
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** The configuration in force: the latest one applied (by `advance`), or the snapshot's. */
  readonly conf: ConfState;
  /** The node leadership is being handed to, or 0. */
  readonly leadTransferee: NodeId;
  /** Per-member replication progress; only on the leader. */
  readonly progress: ReadonlyMap<NodeId, ProgressStatus> | undefined;
}
