import { randomInt } from 'node:crypto';
import type { NodeId, ReadOnlyMode, Storage, Transport } from '@raft/core';
import { RaftOptionsError } from './errors.js';
import type { StateMachine } from './state-machine.js';

/**
 * How to start a {@link RaftNode}. Only `id`, `peers`, `transport`, `storage` and `stateMachine`
 * are required; the defaults suit a LAN cluster (elections within about a second, heartbeats every
 * 50 ms). Every node of a cluster should use the same timing settings.
 *
 * @typeParam R - what the state machine's `apply` returns.
 */
export interface RaftNodeOptions<R = unknown> {
  /** This node's id: a positive integer, unique in the cluster and never reused. */
  readonly id: NodeId;
  /**
   * Ids of the cluster's initial voters, with or without `id` itself. Used only while the log
   * holds no configuration of its own (a new cluster); every node must be given the same set.
   */
  readonly peers: readonly NodeId[];
  /**
   * This node joins a running cluster instead of founding one: it starts outside the
   * configuration (it never campaigns) and waits for the leader to add it, first as a learner
   * (`addLearner`), then as a voter. `peers` then lists the current members. Default `false`.
   */
  readonly join?: boolean;
  /** The link to the other nodes. The node starts it and closes it on {@link RaftNode.stop}. */
  readonly transport: Transport;
  /** Where the log and hard state are kept. The node loads it on start and closes it on stop. */
  readonly storage: Storage;
  /** What committed commands are applied to. */
  readonly stateMachine: StateMachine<R>;
  /** Length of one tick, in milliseconds: the unit of every Raft timeout. Default `50`. */
  readonly tickMs?: number;
  /**
   * Election timeout in ticks: a follower that hears no leader for a random time in
   * `[electionTicks, 2 × electionTicks)` ticks campaigns. Must exceed `heartbeatTicks`; at least 5×
   * is wise so that a lost heartbeat or two does not start an election. Default `10`.
   */
  readonly electionTicks?: number;
  /** The leader sends a heartbeat every this many ticks. Default `1`. */
  readonly heartbeatTicks?: number;
  /** Ask for pre-votes before campaigning, so a node returning from a partition does not depose a healthy leader. Default `true`. */
  readonly preVote?: boolean;
  /** A leader steps down when it has not heard from a quorum for an election timeout. Default `true`. */
  readonly checkQuorum?: boolean;
  /**
   * How {@link RaftNode.read} confirms leadership: `'safe'` (ReadIndex, a heartbeat round to a
   * quorum) or `'lease'` (no round trip; relies on bounded clock drift and needs `checkQuorum`).
   * Default `'safe'`.
   */
  readonly readOnly?: ReadOnlyMode;
  /** Most proposals in flight (queued or appended, not yet applied) before `propose` rejects with `OverloadedError`. Default `10000`. */
  readonly maxUncommittedEntries?: number;
  /** Most command bytes in flight before `propose` rejects with `OverloadedError`. Default 64 MiB. */
  readonly maxUncommittedBytes?: number;
  /** How long an appended proposal may wait to be applied before rejecting with `ProposalTimeoutError` (outcome unknown). Default `5000`. */
  readonly proposalTimeoutMs?: number;
  /** How long {@link RaftNode.read} waits for its barrier before `ReadTimeoutError`. Default `5000`. */
  readonly readTimeoutMs?: number;
  /** Upper bound on the command bytes in one AppendEntries. Default 1 MiB. */
  readonly maxMessageBytes?: number;
  /** Most AppendEntries in flight to one follower before waiting for acknowledgements. Default `256`. */
  readonly maxInflight?: number;
  /**
   * Take a snapshot (and compact the log behind it) once this many entries were applied since the
   * last one; needs a state machine with `snapshot` and `restore`. `0` never snapshots. Default `10000`.
   */
  readonly snapshotEntries?: number;
  /**
   * Largest piece of snapshot data in one message, in bytes. A leader catching a follower up sends
   * its stored snapshot as a sequence of pieces of this size, with at most 4 unacknowledged pieces
   * per follower, so a transfer holds about `4 × snapshotChunkBytes` in memory on each side
   * whatever the snapshot's size. A lost piece is resent after an election timeout without
   * progress, from where the follower got to. Keep it well within what the transport carries in
   * one message. Default 1 MiB.
   */
  readonly snapshotChunkBytes?: number;
  /**
   * Seed of the core's random generator (election timeouts). Default: a random seed from
   * `node:crypto`. Fix it only to reproduce a run; nodes of one cluster must not share a seed.
   */
  readonly seed?: number;
}

/** {@link RaftNodeOptions} validated, with every default filled in. */
export type ResolvedOptions<R> = Required<Omit<RaftNodeOptions<R>, 'peers' | 'join'>> & { readonly voters: readonly NodeId[] };

/** The defaults, in one place so the documentation above and the code cannot drift apart. */
const DEFAULTS = {
  tickMs: 50,
  electionTicks: 10,
  heartbeatTicks: 1,
  preVote: true,
  checkQuorum: true,
  readOnly: 'safe',
  maxUncommittedEntries: 10_000,
  maxUncommittedBytes: 64 * 1024 * 1024,
  proposalTimeoutMs: 5_000,
  readTimeoutMs: 5_000,
  maxMessageBytes: 1024 * 1024,
  maxInflight: 256,
  snapshotEntries: 10_000,
  snapshotChunkBytes: 1024 * 1024,
} as const;

/**
 * Checks `options` and fills in defaults.
 *
 * @throws {@link RaftOptionsError} naming the first invalid option and what it must be.
 */
export function resolveOptions<R>(options: RaftNodeOptions<R>): ResolvedOptions<R> {
  const id = positiveInteger('id', options.id);
  if (!Array.isArray(options.peers)) {
    throw new RaftOptionsError('peers', `expected an array of node ids, got ${describe(options.peers)}`);
  }
  options.peers.forEach((peer, i) => positiveInteger(`peers[${i}]`, peer));
  const join = boolean('join', options.join ?? false);
  const founders = join ? options.peers.filter((peer) => peer !== id) : [id, ...options.peers];
  if (founders.length === 0) {
    throw new RaftOptionsError('peers', 'a joining node needs the ids of the current members, to be added by their leader');
  }
  const voters = [...new Set(founders)].sort((a, b) => a - b);

  requireMethods('transport', options.transport, ['start', 'send', 'close']);
  requireMethods('storage', options.storage, ['load', 'save', 'close']);
  requireMethods('stateMachine', options.stateMachine, ['apply']);

  const tickMs = positiveNumber('tickMs', options.tickMs ?? DEFAULTS.tickMs);
  const heartbeatTicks = positiveInteger('heartbeatTicks', options.heartbeatTicks ?? DEFAULTS.heartbeatTicks);
  const electionTicks = positiveInteger('electionTicks', options.electionTicks ?? DEFAULTS.electionTicks);
  if (electionTicks <= heartbeatTicks) {
    throw new RaftOptionsError(
      'electionTicks',
      `got ${electionTicks}, which does not exceed heartbeatTicks (${heartbeatTicks}); ` +
        'followers would campaign between heartbeats: use at least 5 × heartbeatTicks',
    );
  }
  const checkQuorum = boolean('checkQuorum', options.checkQuorum ?? DEFAULTS.checkQuorum);
  const readOnly = options.readOnly ?? DEFAULTS.readOnly;
  if (readOnly !== 'safe' && readOnly !== 'lease') {
    throw new RaftOptionsError('readOnly', `expected 'safe' or 'lease', got ${describe(readOnly)}`);
  }
  if (readOnly === 'lease' && !checkQuorum) {
    throw new RaftOptionsError(
      'readOnly',
      "'lease' needs checkQuorum: true, otherwise a deposed leader could serve stale reads",
    );
  }
  const seed = options.seed ?? randomInt(0, 2 ** 32);
  if (!Number.isSafeInteger(seed)) throw new RaftOptionsError('seed', `expected an integer, got ${describe(seed)}`);

  return {
    id,
    voters,
    transport: options.transport,
    storage: options.storage,
    stateMachine: options.stateMachine,
    tickMs,
    electionTicks,
    heartbeatTicks,
    preVote: boolean('preVote', options.preVote ?? DEFAULTS.preVote),
    checkQuorum,
    readOnly,
    maxUncommittedEntries: positiveInteger('maxUncommittedEntries', options.maxUncommittedEntries ?? DEFAULTS.maxUncommittedEntries),
    maxUncommittedBytes: positiveInteger('maxUncommittedBytes', options.maxUncommittedBytes ?? DEFAULTS.maxUncommittedBytes),
    proposalTimeoutMs: positiveNumber('proposalTimeoutMs', options.proposalTimeoutMs ?? DEFAULTS.proposalTimeoutMs),
    readTimeoutMs: positiveNumber('readTimeoutMs', options.readTimeoutMs ?? DEFAULTS.readTimeoutMs),
    maxMessageBytes: positiveInteger('maxMessageBytes', options.maxMessageBytes ?? DEFAULTS.maxMessageBytes),
    maxInflight: positiveInteger('maxInflight', options.maxInflight ?? DEFAULTS.maxInflight),
    snapshotEntries: snapshotEntries(options.snapshotEntries ?? DEFAULTS.snapshotEntries, options.stateMachine),
    snapshotChunkBytes: positiveInteger('snapshotChunkBytes', options.snapshotChunkBytes ?? DEFAULTS.snapshotChunkBytes),
    seed,
  };
}

function snapshotEntries(value: unknown, stateMachine: { snapshot?: unknown; restore?: unknown }): number {
  if (value === 0) return 0;
  positiveInteger('snapshotEntries', value);
  const canSnapshot = typeof stateMachine.snapshot === 'function';
  if (canSnapshot && typeof stateMachine.restore !== 'function') {
    throw new RaftOptionsError('stateMachine', 'has snapshot() but no restore(); a node must be able to load the snapshots it takes');
  }
  // Without snapshot(), the node keeps its whole log: there is nothing to compact behind.
  return canSnapshot ? (value as number) : 0;
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RaftOptionsError(name, `expected a positive integer, got ${describe(value)}`);
  }
  return value;
}

function positiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RaftOptionsError(name, `expected a positive number of milliseconds, got ${describe(value)}`);
  }
  return value;
}

function boolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new RaftOptionsError(name, `expected true or false, got ${describe(value)}`);
  return value;
}

function requireMethods(name: string, value: unknown, methods: readonly string[]): void {
  if (typeof value !== 'object' || value === null) {
    throw new RaftOptionsError(name, `expected an object with ${methods.join(', ')}, got ${describe(value)}`);
  }
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') {
      throw new RaftOptionsError(name, `it has no ${method}() method; pass an implementation of the ${name} contract`);
    }
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
