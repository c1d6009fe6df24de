import type { ConfState, NodeId } from '../types.js';
import { majorityActive, majorityCommitted, majorityVoteResult, type VoteResult } from './majority.js';

/**
 * Quorum decisions under a configuration that may be joint: outside joint consensus
 * `votersOutgoing` is empty and only `voters` decide; while joint, both majorities must agree.
 */
export function jointCommitted(conf: ConfState, acked: (id: NodeId) => number): number {
  return Math.min(majorityCommitted(conf.voters, acked), majorityCommitted(conf.votersOutgoing, acked));
}

/** Joint election result: won only if both halves won, lost if either lost. */
export function jointVoteResult(conf: ConfState, votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const incoming = majorityVoteResult(conf.voters, votes);
  const outgoing = majorityVoteResult(conf.votersOutgoing, votes);
  if (incoming === 'won' && outgoing === 'won') return 'won';
  if (incoming === 'lost' || outgoing === 'lost') return 'lost';
  return 'pending';
}

/** Whether the active nodes form a quorum of the (possibly joint) configuration. */
export function jointActive(conf: ConfState, active: (id: NodeId) => boolean): boolean {
  return majorityActive(conf.voters, active) && majorityActive(conf.votersOutgoing, active);
}

/** Every voter of either half, each once. */
export function allVoters(conf: ConfState): NodeId[] {
  return [...new Set([...conf.voters, ...conf.votersOutgoing])];
}

/** Every member that receives the log: voters of both halves, learners, and learners-to-be. */
export function allMembers(conf: ConfState): NodeId[] {
  return [...new Set([...conf.voters, ...conf.votersOutgoing, ...conf.learners, ...conf.learnersNext])];
}
