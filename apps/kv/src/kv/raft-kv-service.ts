import {
  EntrySupersededError,
  NodeStoppedError,
  NotLeaderError,
  OutcomeUnknownError as RaftOutcomeUnknownError,
  OverloadedError,
  ProposalDroppedError,
  ReadTimeoutError,
  type RaftNode,
} from '@raft/log';
import { encodeCommand, type KvCommand } from './commands.js';
import { NotLeaderRedirect, OutcomeUnknownError, UnavailableError, type CasOutcome, type KvService, type KvStatus, type ReadConsistency } from './service.js';
import type { AppliedCommand } from './kv-state-machine.js';
import type { KvStore } from './store.js';
import type { KvMetrics } from '../observability/metrics.js';

/**
 * Translates an error from the Raft node into what the HTTP API promises: a redirect, a definite
 * failure (503), or an unknown outcome (504). Anything unrecognised is treated as unknown, because
 * claiming a definite failure for a write that may still commit would break linearizability.
 */
export function classifyWriteError(error: unknown): Error {
  if (error instanceof NotLeaderError) return new NotLeaderRedirect(error.leader);
  if (
    error instanceof ProposalDroppedError ||
    error instanceof OverloadedError ||
    error instanceof NodeStoppedError ||
    error instanceof EntrySupersededError
  ) {
    return new UnavailableError(error.message);
  }
  if (error instanceof RaftOutcomeUnknownError) return new OutcomeUnknownError(error.message);
  return new OutcomeUnknownError(`outcome unknown: ${(error as Error).message}`);
}

/** A failed read changed nothing, so every failure of a read is a definite one (503). */
export function classifyReadError(error: unknown): Error {
  if (error instanceof NotLeaderError) return new UnavailableError(error.message);
  if (error instanceof ReadTimeoutError || error instanceof NodeStoppedError) return new UnavailableError(error.message);
  return new UnavailableError(`read failed: ${(error as Error).message}`);
}

/** The KV operations over a Raft node whose state machine is `store`. */
export class RaftKvService implements KvService {
  constructor(
    private readonly node: RaftNode<AppliedCommand>,
    private readonly store: KvStore,
    private readonly metrics?: KvMetrics,
  ) {}

  async put(key: string, value: string): Promise<{ readonly index: number }> {
    return this.#write({ op: 'put', key, value }).then(({ index }) => ({ index }));
  }

  async delete(key: string): Promise<{ readonly index: number }> {
    return this.#write({ op: 'delete', key }).then(({ index }) => ({ index }));
  }

  async cas(key: string, expect: string | null, value: string): Promise<CasOutcome> {
    const { index, result } = await this.#write({ op: 'cas', key, expect, value });
    return result.ok ? { ok: true, index } : { ok: false, current: result.current };
  }

  async get(key: string, consistency: ReadConsistency): Promise<string | null> {
    // A linearizable read waits for a confirmed read index to be applied here, then reads locally.
    if (consistency === 'linearizable') await this.node.read().catch((error: unknown) => Promise.reject(classifyReadError(error)));
    return this.store.get(key);
  }

  /** The configuration in force on this node. */
  members(): { readonly voters: readonly number[]; readonly learners: readonly number[]; readonly joint: boolean } {
    const conf = this.node.currentStatus.conf;
    return { voters: conf.voters, learners: conf.learners, joint: conf.votersOutgoing.length > 0 };
  }

  /**
   * Adds `id` as a learner or a voter (promoting a learner), or removes it; resolves once the
   * change is applied on this node. Errors are classified as for writes: a refused change
   * (another one pending, invalid now) is definite.
   */
  async changeMember(id: number, change: 'learner' | 'voter' | 'remove'): Promise<void> {
    try {
      if (change === 'learner') await this.node.addLearner(id);
      else if (change === 'voter') await this.node.addVoter(id);
      else await this.node.removeNode(id);
    } catch (error) {
      throw classifyWriteError(error);
    }
  }

  status(): KvStatus {
    const s = this.node.currentStatus;
    return {
      id: s.id,
      role: s.role,
      term: s.term,
      leader: s.leader,
      commitIndex: s.commit,
      appliedIndex: s.applied,
      members: [...s.conf.voters, ...s.conf.learners].sort((a, b) => a - b),
    };
  }

  async #write(command: KvCommand): Promise<AppliedCommand> {
    // A follower that knows the leader redirects at once instead of queueing the proposal for its
    // Raft loop, which may be busy persisting the leader's appends, only to be refused there.
    const { role, leader } = this.node.currentStatus;
    if (role === 'follower' && leader !== 0) throw new NotLeaderRedirect(leader);
    const done = this.metrics?.commitLatency.startTimer();
    try {
      const applied = await this.node.propose(encodeCommand(command));
      done?.();
      this.metrics?.proposals.inc({ outcome: 'ok' });
      return applied;
    } catch (error) {
      const classified = classifyWriteError(error);
      this.metrics?.proposals.inc({ outcome: classified instanceof OutcomeUnknownError ? 'unknown' : 'unavailable' });
      throw classified;
    }
  }
}
