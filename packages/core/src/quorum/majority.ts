import type { NodeId } from '../types.js';

/** Outcome of an election counted so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * The highest index acknowledged by a majority of `voters`, given each voter's acknowledged index.
 * An empty voter set imposes no constraint (it is the absent half of a non-joint configuration).
 */
export function majorityCommitted(voters: readonly NodeId[], acked: (id: NodeId) => number): number {
  const n = voters.length;
  if (n === 0) return Number.MAX_SAFE_INTEGER;
  const indexes = voters.map(acked).sort((a, b) => b - a);
  // The quorum-th largest acknowledgement (quorum = n/2 + 1): what a majority holds.
  return indexes[n >> 1]!;
}

/** Whether `voters` have elected: a majority granted, a majority can no longer grant, or neither yet. */
export function majorityVoteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const n = voters.length;
  if (n === 0) return 'won';
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const vote = votes.get(id);
    if (vote === undefined) missing++;
    else if (vote) granted++;
  }
  const quorum = (n >> 1) + 1;
  if (granted >= quorum) return 'won';
  if (granted + missing >= quorum) return 'pending';
  return 'lost';
}

/** Whether the `active` voters form a majority of `voters` (an empty set always does). */
export function majorityActive(voters: readonly NodeId[], active: (id: NodeId) => boolean): boolean {
  if (voters.length === 0) return true;
  let count = 0;
  for (const id of voters) if (active(id)) count++;
  return count >= (voters.length >> 1) + 1;
}
