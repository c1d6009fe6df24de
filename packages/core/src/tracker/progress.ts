import { Inflights } from './inflights.js';

/**
 * How a leader currently replicates to one follower:
 * - `probe`: the follower's log position is unknown; send one AppendEntries and wait for its answer;
 * - `replicate`: the position is known; stream entries optimistically, bounded by the inflight window;
 * - `snapshot`: the follower needs a snapshot; send nothing else until it is reported applied or failed.
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** The leader's view of one follower's log (Raft's nextIndex/matchIndex, plus flow control). */
export class Progress {
  /** Highest index known to be replicated on the follower. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an AppendEntries was sent and not yet answered, so wait. */
  probeSent = false;
  /** In snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Highest commit index sent to the follower (and applicable to the entries sent with it). */
  commitSent = 0;
  /** Leader tick at which the newest heartbeat the follower acknowledged was sent (lease reads). */
  heartbeatAcked = Number.NEGATIVE_INFINITY;
  readonly inflights: Inflights;

  constructor(next: number, maxInflight: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  /** Whether the leader must hold further AppendEntries to this follower. */
  get paused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full;
      case 'snapshot':
        return true;
    }
  }

  becomeProbe(): void {
    // After a snapshot, resume right after it; otherwise right after what is known to match.
    this.next = this.state === 'snapshot' ? Math.max(this.match, this.pendingSnapshot) + 1 : this.match + 1;
    this.#reset('probe');
  }

  becomeReplicate(): void {
    this.next = this.match + 1;
    this.#reset('replicate');
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.#reset('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** Records that an AppendEntries ending at `lastIndex` was sent (with `entries` > 0 entries). */
  sentEntries(lastIndex: number, entries: number): void {
    if (this.state === 'replicate') {
      if (entries > 0) {
        this.next = lastIndex + 1;
        this.inflights.add(lastIndex);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /** Records that a message told the follower it may commit up to `commit`. */
  sentCommit(commit: number): void {
    if (commit > this.commitSent) this.commitSent = commit;
  }

  /**
   * An acknowledgement that the follower's log matches up to `index`.
   * @returns whether it told the leader something new.
   */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of the AppendEntries whose previous index was `rejected`; `hint` is the highest
   * index that might match (fast backtracking).
   * @returns false when the rejection is stale (answers an older message) and was ignored.
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  #reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.inflights.reset();
  }
}
