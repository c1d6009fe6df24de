import { ConfChangeTransition, ConfChangeType, EMPTY } from '@raft/core';
import type { ConfChange, ConfChangeSingle, ConfState, NodeId } from '@raft/core';
import type { SimRandom } from './prng.js';

const MIN_VOTERS = 2;

/** Every node a configuration mentions: voters of both halves and learners (current and next). */
export function membersOf(conf: ConfState): Set<NodeId> {
  return new Set([...conf.voters, ...conf.votersOutgoing, ...conf.learners, ...conf.learnersNext]);
}

/**
 * Draws a membership change an operator could ask for, given the configuration the asked node
 * knows: add a learner or a voter, promote, demote, remove, or swap one voter for another (which
 * goes through a joint configuration); while joint, leave it. Some draws are invalid on purpose
 * (the node's view may be stale): the core must refuse those without harm.
 */
export function drawConfChange(conf: ConfState, ids: readonly NodeId[], random: SimRandom): ConfChange {
  if (conf.votersOutgoing.length > 0) return { transition: ConfChangeTransition.Auto, changes: [], context: EMPTY };
  const members = membersOf(conf);
  const outsiders = ids.filter((id) => !members.has(id));
  const choices: (() => ConfChangeSingle[])[] = [];
  const single = (type: ConfChangeType, from: readonly NodeId[]) => () => [{ type, node: random.pick(from) }];
  if (outsiders.length > 0) {
    choices.push(single(ConfChangeType.AddLearner, outsiders), single(ConfChangeType.AddVoter, outsiders));
  }
  if (conf.learners.length > 0) {
    choices.push(single(ConfChangeType.AddVoter, conf.learners), single(ConfChangeType.RemoveNode, conf.learners));
  }
  if (conf.voters.length > MIN_VOTERS) {
    choices.push(single(ConfChangeType.RemoveNode, conf.voters), single(ConfChangeType.AddLearner, conf.voters));
  }
  if (outsiders.length > 0 && conf.voters.length >= MIN_VOTERS) {
    choices.push(() => [
      { type: ConfChangeType.AddVoter, node: random.pick(outsiders) },
      { type: ConfChangeType.RemoveNode, node: random.pick(conf.voters) },
    ]);
  }
  const changes = choices.length > 0 ? random.pick(choices)() : [];
  const transition = random.pick([
    ConfChangeTransition.Auto,
    ConfChangeTransition.Auto,
    ConfChangeTransition.JointImplicit,
    ConfChangeTransition.JointExplicit,
  ]);
  return { transition, changes, context: EMPTY };
}

/** A short description of a change for traces, e.g. `+voter 4, -5 (joint, explicit leave)`. */
export function describeConfChange(change: ConfChange): string {
  if (change.changes.length === 0) return 'leave joint';
  const parts = change.changes.map(({ type, node }) =>
    type === ConfChangeType.AddVoter ? `+voter ${node}` : type === ConfChangeType.AddLearner ? `+learner ${node}` : `-${node}`,
  );
  const how = ['auto', 'joint', 'joint, explicit leave'][change.transition];
  return `${parts.join(', ')} (${how})`;
}
