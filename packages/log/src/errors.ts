/**
 * The errors a {@link RaftNode} rejects with, sorted by what the caller may conclude.
 *
 * - **Definite failure** — the command was not appended, or can never commit: {@link NotLeaderError},
 *   {@link ProposalDroppedError} (both from `@raft/core`), {@link OverloadedError},
 *   {@link NodeStoppedError}, {@link EntrySupersededError}. Retrying cannot apply it twice.
 * - **Unknown outcome** — the command may still commit: every subclass of
 *   {@link OutcomeUnknownError}. A retry may apply it twice unless the command is idempotent.
 *
 * @module
 */
import type { NodeId } from '@raft/core';

/**
 * The outcome of a proposal is unknown: its entry was appended to the log and may still commit
 * (or may already have). Test with `instanceof OutcomeUnknownError`; report "timeout / unknown",
 * never "failed", and make retries idempotent.
 */
export class OutcomeUnknownError extends Error {
  override readonly name: string = 'OutcomeUnknownError';
  constructor(
    message: string,
    /** Log index the entry was appended at. */
    readonly index: number,
    /** Term the entry was appended in. */
    readonly term: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The entry was appended but not applied within `proposalTimeoutMs`. Outcome unknown: it may
 * still commit, typically after a partition heals or an election ends.
 */
export class ProposalTimeoutError extends OutcomeUnknownError {
  override readonly name = 'ProposalTimeoutError';
  constructor(index: number, term: number, timeoutMs: number) {
    super(
      `proposal appended at index ${index} (term ${term}) was not applied within ${timeoutMs} ms; ` +
        'it may still commit: check with a read before retrying a non-idempotent command',
      index,
      term,
    );
  }
}

/**
 * Too many proposals are in flight (appended or queued but not applied) on this node. Definite:
 * nothing was appended. Back off and retry, or raise `maxUncommittedEntries` / `maxUncommittedBytes`.
 */
export class OverloadedError extends Error {
  override readonly name = 'OverloadedError';
  constructor(
    readonly limit: 'entries' | 'bytes',
    readonly max: number,
  ) {
    super(
      `too many uncommitted proposals on this node (limit: ${max} ${limit}); ` +
        'nothing was appended: back off and retry, or raise ' +
        (limit === 'entries' ? 'maxUncommittedEntries' : 'maxUncommittedBytes'),
    );
  }
}

/**
 * The node is not running (not started, stopping or stopped) and did not accept the request. Definite: nothing was appended
 * (a proposal already appended when the node stopped rejects with {@link OutcomeUnknownError}).
 */
export class NodeStoppedError extends Error {
  override readonly name = 'NodeStoppedError';
  constructor(options?: ErrorOptions) {
    super(
      'the raft node is not running (not started yet, stopping or stopped); nothing was appended: ' +
        'send the request to a running node',
      options,
    );
  }
}

/**
 * The entry was appended, but a different entry (from another leader's term) committed at its
 * index, so it can never commit. Definite: retry the command.
 */
export class EntrySupersededError extends Error {
  override readonly name = 'EntrySupersededError';
  constructor(
    readonly index: number,
    readonly term: number,
    /** Term of the entry that committed at `index` instead. */
    readonly committedTerm: number,
  ) {
    super(
      `the proposal appended at index ${index} (term ${term}) was replaced by an entry of term ` +
        `${committedTerm} after a leadership change; it will never be applied: retry it on the current leader`,
    );
  }
}

/** A {@link RaftNode.read} barrier was not reached within `readTimeoutMs`. Reads change nothing: retry. */
export class ReadTimeoutError extends Error {
  override readonly name = 'ReadTimeoutError';
  constructor(timeoutMs: number) {
    super(
      `the linearizable read was not confirmed within ${timeoutMs} ms (no quorum reachable, or an ` +
        'election in progress); retry, or read with stale consistency',
    );
  }
}

/** A {@link RaftNode.transferLeadership} did not complete within its timeout. */
export class LeadershipTransferError extends Error {
  override readonly name = 'LeadershipTransferError';
  constructor(
    readonly to: NodeId,
    timeoutMs: number,
  ) {
    super(
      `leadership did not move to node ${to} within ${timeoutMs} ms (is it reachable and caught up?); ` +
        'the cluster keeps working: retry, or pick another node',
    );
  }
}

/**
 * The node stopped itself because continuing could lose or corrupt data: a storage write failed,
 * or the state machine threw. `cause` holds the original error. Fix the cause, then restart the
 * node: it recovers from what was durably written.
 */
export class NodeFailedError extends Error {
  override readonly name = 'NodeFailedError';
}

/** An option passed to {@link RaftNode} is invalid. The message names the option and the fix. */
export class RaftOptionsError extends TypeError {
  override readonly name = 'RaftOptionsError';
  constructor(
    /** The offending option. */
    readonly option: string,
    message: string,
  ) {
    super(`invalid option ${option}: ${message}`);
  }
}
