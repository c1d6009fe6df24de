import { describe, expect, it } from 'vitest';
import { applyConfChange, ConfChangeError } from '../../src/confchange/changer.js';
import { ConfChangeTransition, ConfChangeType, EMPTY, type ConfChange, type ConfChangeSingle, type ConfState } from '../../src/types.js';

const conf = (voters: number[], learners: number[] = []): ConfState => ({
  voters,
  learners,
  votersOutgoing: [],
  learnersNext: [],
  autoLeave: false,
});
const change = (changes: ConfChangeSingle[], transition: ConfChangeTransition = ConfChangeTransition.Auto): ConfChange => ({
  transition,
  changes,
  context: EMPTY,
});
const addVoter = (node: number) => ({ type: ConfChangeType.AddVoter, node });
const addLearner = (node: number) => ({ type: ConfChangeType.AddLearner, node });
const remove = (node: number) => ({ type: ConfChangeType.RemoveNode, node });

describe('membership changes', () => {
  it('adds or removes a single voter directly, without a joint configuration', () => {
    expect(applyConfChange(conf([1, 2, 3]), change([addVoter(4)]))).toEqual(conf([1, 2, 3, 4]));
    expect(applyConfChange(conf([1, 2, 3]), change([remove(2)]))).toEqual(conf([1, 3]));
  });

  it('adds learners, which never count as voters, and promotes them', () => {
    const withLearner = applyConfChange(conf([1, 2, 3]), change([addLearner(4)]));
    expect(withLearner).toEqual(conf([1, 2, 3], [4]));
    expect(applyConfChange(withLearner, change([addVoter(4)]))).toEqual(conf([1, 2, 3, 4]));
  });

  it('enters a joint configuration when more than one voter changes, and leaves it with an empty change', () => {
    const joint = applyConfChange(conf([1, 2, 3]), change([addVoter(4), remove(1)]));
    expect(joint).toEqual({ voters: [2, 3, 4], learners: [], votersOutgoing: [1, 2, 3], learnersNext: [], autoLeave: true });
    expect(applyConfChange(joint, change([]))).toEqual(conf([2, 3, 4]));
  });

  it('keeps a demoted voter in the outgoing half until the joint configuration is left', () => {
    const joint = applyConfChange(conf([1, 2, 3]), change([addLearner(3)], ConfChangeTransition.JointExplicit));
    expect(joint).toEqual({ voters: [1, 2], learners: [], votersOutgoing: [1, 2, 3], learnersNext: [3], autoLeave: false });
    expect(applyConfChange(joint, change([]))).toEqual(conf([1, 2], [3]));
  });

  it('refuses a second change while joint, leaving when not joint, and removing every voter', () => {
    const joint = applyConfChange(conf([1, 2, 3]), change([addVoter(4)], ConfChangeTransition.JointImplicit));
    expect(() => applyConfChange(joint, change([addVoter(5)]))).toThrow(/leave it/);
    expect(() => applyConfChange(conf([1]), change([]))).toThrow(ConfChangeError);
    expect(() => applyConfChange(conf([1]), change([remove(1)]))).toThrow(/every voter/);
    expect(() => applyConfChange(conf([1]), change([addVoter(0)]))).toThrow(/positive integers/);
  });
});
