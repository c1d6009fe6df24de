/**
 * The vocabulary of Raft: entries, persistent state, configurations, snapshots and messages.
 *
 * These are plain data: every value here can be encoded by the wire codec, persisted by a storage
 * adapter and compared structurally. Nothing in this module has behaviour.
 *
 * @module
 */

/**
 * A node's identity: a positive integer, unique within a cluster and never reused.
 * `0` ({@link NONE}) means "no node" (no vote cast, no leader known).
 */
export type NodeId = number;

/** "No node": no vote cast, no leader known. */
export const NONE: NodeId = 0;

/** The kinds of log entry. */
export const EntryType = {
  /** An application command, or an empty no-op a new leader appends to commit its term. */
  Normal: 0,
  /** A membership change; `data` is an encoded {@link ConfChange}. */
  ConfChange: 1,
} as const;
/** @see {@link EntryType} */
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One record of the replicated log. Immutable once created. */
export interface Entry {
  /** Term of the leader that created the entry. */
  readonly term: number;
  /** Position in the log, starting at 1. */
  readonly index: number;
  readonly type: EntryType;
  /** Opaque payload; empty for a leader's no-op. */
  readonly data: Uint8Array;
}

/**
 * The state a node must persist before it answers anyone (Raft Figure 2, plus the commit index so
 * a restarted node can re-apply without waiting for a leader).
 */
export interface HardState {
  /** Latest term this node has seen. */
  readonly term: number;
  /** The candidate this node voted for in `term`, or {@link NONE}. */
  readonly vote: NodeId;
  /** Highest index known committed. */
  readonly commit: number;
}

/**
 * A cluster configuration. Outside a joint configuration `votersOutgoing` is empty; during joint
 * consensus a decision needs a majority of both `voters` and `votersOutgoing`.
 */
export interface ConfState {
  /** Voters of the (incoming) configuration. */
  readonly voters: readonly NodeId[];
  /** Non-voting members that receive the log. */
  readonly learners: readonly NodeId[];
  /** Voters of the outgoing configuration while joint; empty otherwise. */
  readonly votersOutgoing: readonly NodeId[];
  /**
   * Voters of the outgoing configuration that become learners when the joint configuration is
   * left (a demotion).
   */
  readonly learnersNext: readonly NodeId[];
  /** Leave the joint configuration automatically once it is committed. */
  readonly autoLeave: boolean;
}

/** The kinds of single membership change. */
export const ConfChangeType = {
  AddVoter: 0,
  RemoveNode: 1,
  AddLearner: 2,
} as const;
/** @see {@link ConfChangeType} */
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];

/** One membership change of a {@link ConfChange}. */
export interface ConfChangeSingle {
  readonly type: ConfChangeType;
  readonly node: NodeId;
}

/** How a multi-step membership change moves through joint consensus. */
export const ConfChangeTransition = {
  /** Joint consensus only when needed (more than one voter changes); leave automatically. */
  Auto: 0,
  /** Always enter a joint configuration; leave automatically. */
  JointImplicit: 1,
  /** Always enter a joint configuration; stay until an empty ConfChange is proposed. */
  JointExplicit: 2,
} as const;
/** @see {@link ConfChangeTransition} */
export type ConfChangeTransition = (typeof ConfChangeTransition)[keyof typeof ConfChangeTransition];

/**
 * A membership change carried by a {@link EntryType.ConfChange} entry. An empty `changes` list
 * leaves a joint configuration.
 */
export interface ConfChange {
  readonly transition: ConfChangeTransition;
  readonly changes: readonly ConfChangeSingle[];
  /** Opaque application context (e.g. the new node's address). */
  readonly context: Uint8Array;
}

/** Where a snapshot sits in the log and which configuration was in force there. */
export interface SnapshotMeta {
  /** Index of the last entry the snapshot covers. */
  readonly index: number;
  /** Term of that entry. */
  readonly term: number;
  /** Configuration as of `index`. */
  readonly conf: ConfState;
}

/** A state machine snapshot with its position. `data` is the application's encoded state. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: Uint8Array;
}

/**
 * Where one piece of a snapshot sent in pieces sits (see {@link MessageType.Snap} and
 * {@link MessageType.SnapResp}).
 */
export interface SnapshotChunk {
  /**
   * Snap: the byte offset of `snapshot.data` within the snapshot's bytes. SnapResp: the next
   * offset the receiver expects.
   */
  readonly offset: number;
  /** Snap: this piece is the last one. SnapResp: the receiver has the whole snapshot. */
  readonly done: boolean;
}

/** The kinds of message nodes exchange. */
export const MessageType = {
  /** RequestVote. `index`/`logTerm`: the candidate's last log position. */
  Vote: 1,
  VoteResp: 2,
  /** A pre-vote: would you vote for me if I campaigned? Sent with the *next* term; changes no state. */
  PreVote: 3,
  PreVoteResp: 4,
  /** AppendEntries. `index`/`logTerm`: the entry before `entries`; `commit`: leader's commit. */
  App: 5,
  /**
   * AppendEntries response. Accepted: `index` is the follower's last matching index. Rejected:
   * `index` is the rejected `index`, and `rejectHint`/`logTerm` give the fast-backtracking hint.
   */
  AppResp: 6,
  /**
   * Heartbeat: asserts leadership, carries `commit` and an optional read `context`; `index` is the
   * leader's tick when sent (echoed back in HeartbeatResp, so a lease runs from when it was sent).
   */
  Heartbeat: 7,
  HeartbeatResp: 8,
  /**
   * InstallSnapshot. `snapshot` holds the snapshot. The core sends it with `snapshot.meta` only
   * (it holds no snapshot bytes) and installs one it is stepped whole. Between nodes a runtime may
   * carry it in pieces: then `chunk` says where `snapshot.data` sits in the snapshot's bytes, each
   * piece is acknowledged with a {@link MessageType.SnapResp}, and the core never sees the pieces
   * (it ignores a Snap that has a `chunk`).
   */
  Snap: 9,
  /** Leadership transfer: campaign now, even inside an election timeout. */
  TimeoutNow: 10,
  /** A follower forwards a ReadIndex request to the leader. `context` identifies it. */
  ReadIndex: 11,
  /** The leader answers a forwarded ReadIndex: `index` is the read index for `context`. */
  ReadIndexResp: 12,
  /**
   * A snapshot could not be applied (`reject: true`) or was applied (`reject: false`) by the
   * receiver; lets the leader resume replication. Local to the runtime: it is stepped, not sent.
   */
  SnapStatus: 13,
  /** A peer could not be reached; the leader slows down replication to it. Local, stepped only. */
  Unreachable: 14,
  /**
   * Acknowledges a chunk of a snapshot sent in pieces (a Snap with a `chunk`); exchanged between
   * runtimes, ignored by the core. `index`/`logTerm`: the snapshot's index and term. `chunk.offset`:
   * every byte before it was received. `chunk.done`: the whole snapshot arrived and was installed
   * (or was not needed). `reject`: the receiver is not assembling this snapshot from the offset the
   * sender assumed, and expects the piece at `chunk.offset` next (usually 0: start again).
   */
  SnapResp: 15,
} as const;
/** @see {@link MessageType} */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * A Raft message. One flat shape for every type (fields a type does not use are zero or empty),
 * which keeps the codec and the transports simple. Messages are immutable once sent: receivers must
 * not modify them, because an in-process transport may hand the same object to several nodes.
 */
export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  /** Sender's current term (for PreVote: the term it would campaign in). */
  readonly term: number;
  /** Term of the entry at `index` (see each {@link MessageType} for what `index` means). */
  readonly logTerm: number;
  readonly index: number;
  readonly entries: readonly Entry[];
  /** Leader's commit index (App, Heartbeat). */
  readonly commit: number;
  /** The request was refused. */
  readonly reject: boolean;
  /** With a rejected AppResp: the follower's suggested next probe index. */
  readonly rejectHint: number;
  /** Opaque context: a ReadIndex request id, or the leadership-transfer marker on a campaign. */
  readonly context: Uint8Array;
  /** InstallSnapshot payload (with a `chunk`, one piece of the snapshot's data). */
  readonly snapshot?: Snapshot;
  /** With a Snap or SnapResp of a snapshot sent in pieces: the piece's position. */
  readonly chunk?: SnapshotChunk;
}

/** A node's role. */
export const Role = {
  Follower: 'follower',
  PreCandidate: 'pre-candidate',
  Candidate: 'candidate',
  Leader: 'leader',
} as const;
/** @see {@link Role} */
export type Role = (typeof Role)[keyof typeof Role];

/** Volatile state worth telling the application about. */
export interface SoftState {
  readonly role: Role;
  /** The leader this node believes in, or {@link NONE}. */
  readonly leader: NodeId;
}

/** A completed ReadIndex request: reads may be served once `index` has been applied. */
export interface ReadState {
  readonly index: number;
  /** The context passed to `readIndex`. */
  readonly context: Uint8Array;
}

/** An empty byte array, shared to avoid allocating one per message. */
export const EMPTY: Uint8Array = new Uint8Array(0);
