import type { NodeId } from './types.js';

/**
 * The node is not the leader, so it cannot accept the request. Definite: nothing was appended.
 * `leader` is the node believed to lead, or `0` when unknown — retry there.
 */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';
  constructor(readonly leader: NodeId) {
    super(
      leader === 0
        ? 'not the leader, and no leader is known yet; retry after an election'
        : `not the leader; node ${leader} is the leader, retry there`,
    );
  }
}

/**
 * The request cannot be accepted now for a reason that is not about leadership (a leadership
 * transfer in progress, a membership change already pending, an invalid argument). Definite:
 * nothing was appended.
 */
export class ProposalDroppedError extends Error {
  override readonly name: string = 'ProposalDroppedError';
}
