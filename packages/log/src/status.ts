import type { ConfState, NodeId, Role } from '@raft/core';

/** Where a node is in its life. */
export type Lifecycle =
  /** Created; {@link RaftNode.start} not called or not finished. */
  | 'starting'
  | 'running'
  /** {@link RaftNode.stop} was called and finished. */
  | 'stopped'
  /** The node stopped itself after an error it must not continue past; see {@link RaftStatus.error}. */
  | 'failed';

/** A node's view of itself and the cluster, as emitted by {@link RaftNode.status$}. */
export interface RaftStatus {
  readonly id: NodeId;
  readonly lifecycle: Lifecycle;
  readonly role: Role;
  readonly term: number;
  /** The leader this node believes in, or `0` when none is known. */
  readonly leader: NodeId;
  /** Highest log index known to be committed. */
  readonly commit: number;
  /** Highest log index applied to the local state machine (and emitted on `committed$`). */
  readonly applied: number;
  /** The cluster's configuration (voters, learners, and the outgoing voters while joint) as of `applied`. */
  readonly conf: ConfState;
  /** Why the node failed, when `lifecycle` is `'failed'`. */
  readonly error?: Error;
}

/** True when `a` and `b` would tell a subscriber the same thing. */
export function sameStatus(a: RaftStatus, b: RaftStatus): boolean {
  return (
    a.lifecycle === b.lifecycle &&
    a.role === b.role &&
    a.term === b.term &&
    a.leader === b.leader &&
    a.commit === b.commit &&
    a.applied === b.applied &&
    a.conf === b.conf
  );
}
