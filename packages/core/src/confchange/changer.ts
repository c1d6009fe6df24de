import { ProposalDroppedError } from '../errors.js';
import { ConfChangeTransition, ConfChangeType, type ConfChange, type ConfState, type NodeId } from '../types.js';

/** A membership change that cannot be applied to the configuration in force. Definite: nothing changed. */
export class ConfChangeError extends ProposalDroppedError {
  override readonly name: string = 'ConfChangeError';
}

/** Whether a decision currently needs majorities of two voter sets (joint consensus). */
export function isJoint(conf: ConfState): boolean {
  return conf.votersOutgoing.length > 0;
}

/**
 * The configuration after `change` (Raft thesis §4.3, joint consensus as in etcd's ConfChangeV2):
 * - an empty change leaves a joint configuration (outgoing voters drop out, demoted voters become learners);
 * - a change of at most one voter with the `Auto` transition applies directly;
 * - anything else enters a joint configuration in which the old voters and the new ones must both
 *   agree, left automatically (`Auto`, `JointImplicit`) or by an explicit empty change (`JointExplicit`).
 *
 * Voters and learners never overlap. A voter demoted while joint stays a voter of the outgoing half
 * and becomes a learner when the joint configuration is left.
 *
 * @throws ConfChangeError naming why the change is not allowed now.
 */
export function applyConfChange(conf: ConfState, change: ConfChange): ConfState {
  if (change.changes.length === 0) return leaveJoint(conf);
  if (isJoint(conf)) {
    throw new ConfChangeError('a joint configuration is in force; leave it (propose an empty change) before the next change');
  }
  const voters = new Set(conf.voters);
  const learners = new Set(conf.learners);
  for (const { type, node } of change.changes) {
    if (!Number.isSafeInteger(node) || node <= 0) throw new ConfChangeError(`node ids are positive integers, got ${node}`);
    switch (type) {
      case ConfChangeType.AddVoter:
        voters.add(node);
        learners.delete(node);
        break;
      case ConfChangeType.AddLearner:
        voters.delete(node);
        learners.add(node);
        break;
      case ConfChangeType.RemoveNode:
        voters.delete(node);
        learners.delete(node);
        break;
      default:
        throw new ConfChangeError(`unknown membership change type ${String(type)}`);
    }
  }
  if (voters.size === 0) throw new ConfChangeError('the change would remove every voter; a cluster needs at least one');
  const changedVoters = symmetricDifference(conf.voters, voters);
  if (change.transition === ConfChangeTransition.Auto && changedVoters <= 1) {
    return { voters: sorted(voters), learners: sorted(learners), votersOutgoing: [], learnersNext: [], autoLeave: false };
  }
  // Joint: outgoing voters demoted to learners wait in learnersNext, as voters and learners may not overlap.
  const learnersNext = new Set<NodeId>();
  for (const id of learners) {
    if (conf.voters.includes(id)) {
      learners.delete(id);
      learnersNext.add(id);
    }
  }
  return {
    voters: sorted(voters),
    learners: sorted(learners),
    votersOutgoing: [...conf.voters],
    learnersNext: sorted(learnersNext),
    autoLeave: change.transition !== ConfChangeTransition.JointExplicit,
  };
}

function leaveJoint(conf: ConfState): ConfState {
  if (!isJoint(conf)) throw new ConfChangeError('not in a joint configuration: an empty change has nothing to leave');
  return {
    voters: [...conf.voters],
    learners: sorted(new Set([...conf.learners, ...conf.learnersNext])),
    votersOutgoing: [],
    learnersNext: [],
    autoLeave: false,
  };
}

function symmetricDifference(before: readonly NodeId[], after: ReadonlySet<NodeId>): number {
  let changed = 0;
  for (const id of before) if (!after.has(id)) changed++;
  for (const id of after) if (!before.includes(id)) changed++;
  return changed;
}

function sorted(ids: Iterable<NodeId>): NodeId[] {
  return [...ids].sort((a, b) => a - b);
}
