import { EntrySupersededError, NodeStoppedError, NotLeaderError, OverloadedError, ProposalDroppedError, ProposalTimeoutError, ReadTimeoutError } from '@raft/log';
import { describe, expect, it } from 'vitest';
import { classifyReadError, classifyWriteError } from '../src/kv/raft-kv-service.js';
import { NotLeaderRedirect, OutcomeUnknownError, UnavailableError } from '../src/kv/service.js';

describe('classifying Raft errors for the HTTP API', () => {
  it('redirects a write refused by a follower to the leader it names', () => {
    const classified = classifyWriteError(new NotLeaderError(3));
    expect(classified).toBeInstanceOf(NotLeaderRedirect);
    expect((classified as NotLeaderRedirect).leader).toBe(3);
  });

  it('answers 503 only for writes that can never be applied', () => {
    for (const definite of [
      new ProposalDroppedError('transfer in progress'),
      new OverloadedError('entries', 10),
      new NodeStoppedError(),
      new EntrySupersededError(5, 1, 2),
    ]) {
      expect(classifyWriteError(definite)).toBeInstanceOf(UnavailableError);
    }
  });

  it('answers 504 for a write that may still commit, and for anything it does not recognise', () => {
    expect(classifyWriteError(new ProposalTimeoutError(5, 1, 5000))).toBeInstanceOf(OutcomeUnknownError);
    expect(classifyWriteError(new Error('socket hang up'))).toBeInstanceOf(OutcomeUnknownError);
  });

  it('answers 503 for every failed read: a read changes nothing', () => {
    for (const error of [new NotLeaderError(0), new ReadTimeoutError(5000), new NodeStoppedError(), new Error('boom')]) {
      expect(classifyReadError(error)).toBeInstanceOf(UnavailableError);
    }
  });
});
