import { NotLeaderError, ProposalDroppedError, type Entry } from '@raft/core';
import { DeadlineQueue, type Expiring } from './deadline-queue.js';
import {
  EntrySupersededError,
  NodeStoppedError,
  OutcomeUnknownError,
  OverloadedError,
  ProposalTimeoutError,
} from './errors.js';
import type { LogPosition } from './state-machine.js';

const EMPTY_DATA = new Uint8Array(0);

/** Bounds on proposals in flight, and how long an appended one may wait. */
export interface ProposalLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

/** A proposal from `propose()` until it is applied or rejected. */
export interface Proposal<R> extends Expiring {
  readonly data: Uint8Array;
  /** Where the leader appended it; 0 while queued. */
  index: number;
  term: number;
  deadline: number;
  /** The next proposal appended at the same index in another term (rare: after re-election). */
  sameIndex: Proposal<R> | undefined;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Every proposal this node has accepted and not yet answered, from queued to applied.
 *
 * Appended proposals are tracked by (index, term): when the entry at their index commits, the term
 * says whether it was theirs (resolve with the state machine's result) or another leader's
 * (definitely superseded). Until then — even after this node loses leadership — the outcome is
 * unknown, so nothing here ever reports a definite failure for an entry that could still commit.
 */
export class ProposalTracker<R> {
  private queued: Proposal<R>[] = [];
  private readonly byIndex = new Map<number, Proposal<R>>();
  private readonly deadlines = new DeadlineQueue<Proposal<R>>();
  /** Proposals accepted and not answered (queued or appended), and their data bytes. */
  private inFlight = 0;
  private inFlightBytes = 0;

  constructor(private readonly limits: ProposalLimits) {}

  /** Accepts a command, or rejects at once with {@link OverloadedError} past the bounds. */
  submit(data: Uint8Array): Promise<R> {
    if (this.inFlight >= this.limits.maxEntries) {
      return Promise.reject(new OverloadedError('entries', this.limits.maxEntries));
    }
    if (this.inFlightBytes + data.byteLength > this.limits.maxBytes) {
      return Promise.reject(new OverloadedError('bytes', this.limits.maxBytes));
    }
    return new Promise<R>((resolve, reject) => {
      this.inFlight++;
      this.inFlightBytes += data.byteLength;
      this.queued.push({ data, index: 0, term: 0, deadline: 0, settled: false, sameIndex: undefined, resolve, reject });
    });
  }

  /**
   * Proposes every queued command to the core as one batch (`propose` is the core's). A refusal
   * (not leader, proposal dropped) rejects that proposal as a definite failure. Any other error is
   * a fault: the proposals not yet handed over stay queued (so stopping rejects them as not
   * appended) and the error propagates.
   */
  proposeQueued(propose: (data: Uint8Array) => LogPosition, now: number): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    for (let i = 0; i < batch.length; i++) {
      const proposal = batch[i] as Proposal<R>;
      let position: LogPosition;
      try {
        position = propose(proposal.data);
      } catch (error) {
        if (error instanceof NotLeaderError || error instanceof ProposalDroppedError) {
          this.settle(proposal);
          proposal.reject(error);
          continue;
        }
        this.queued = batch.slice(i).concat(this.queued);
        throw error;
      }
      this.appended(proposal, position.index, position.term, now);
    }
  }

  /**
   * Tracks an entry the core appended directly (a membership change): like a proposal, it
   * resolves when its index commits with its term and is applied, and is rejected as superseded,
   * timed out or stopped exactly as proposals are.
   */
  track(position: LogPosition, now: number): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      this.inFlight++;
      const proposal: Proposal<R> = {
        data: EMPTY_DATA,
        index: 0,
        term: 0,
        deadline: 0,
        settled: false,
        sameIndex: undefined,
        resolve,
        reject,
      };
      this.appended(proposal, position.index, position.term, now);
    });
  }

  /**
   * `entry` committed and was applied with `result` (`undefined` when it was not a command).
   * Answers every proposal appended at its index.
   */
  committed(entry: Entry, result: R | undefined): void {
    let proposal = this.byIndex.get(entry.index);
    if (proposal === undefined) return;
    this.byIndex.delete(entry.index);
    do {
      if (!proposal.settled) {
        this.settle(proposal);
        if (proposal.term === entry.term) proposal.resolve(result as R);
        else proposal.reject(new EntrySupersededError(proposal.index, proposal.term, entry.term));
      }
      proposal = proposal.sameIndex;
    } while (proposal !== undefined);
    this.deadlines.trim();
  }

  /** Rejects appended proposals whose timeout passed by `now` (outcome unknown). */
  expire(now: number): void {
    this.deadlines.expire(now, (proposal) => {
      this.settle(proposal);
      proposal.reject(new ProposalTimeoutError(proposal.index, proposal.term, this.limits.timeoutMs));
    });
  }

  /**
   * The node stopped: queued proposals were definitely not appended; appended ones may still
   * commit through the other nodes, so their outcome is unknown.
   */
  abort(cause: Error | undefined): void {
    for (const proposal of this.queued) {
      this.settle(proposal);
      proposal.reject(new NodeStoppedError({ cause }));
    }
    this.queued = [];
    for (const proposal of this.deadlines.drain()) {
      this.settle(proposal);
      proposal.reject(
        new OutcomeUnknownError(
          `the node stopped before the proposal appended at index ${proposal.index} (term ` +
            `${proposal.term}) was applied; it may still commit on the other nodes: check with a read before retrying`,
          proposal.index,
          proposal.term,
          { cause },
        ),
      );
    }
    this.byIndex.clear();
  }

  /** The core appended `proposal` at (index, term): wait for that index to commit. */
  private appended(proposal: Proposal<R>, index: number, term: number, now: number): void {
    proposal.index = index;
    proposal.term = term;
    proposal.deadline = now + this.limits.timeoutMs;
    proposal.sameIndex = this.byIndex.get(index);
    this.byIndex.set(index, proposal);
    this.deadlines.push(proposal);
  }

  private settle(proposal: Proposal<R>): void {
    proposal.settled = true;
    this.inFlight--;
    this.inFlightBytes -= proposal.data.byteLength;
  }
}
