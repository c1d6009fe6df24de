import { NotLeaderError } from '@raft/core';
import { describe, expect, it } from 'vitest';
import {
  EntrySupersededError,
  NodeStoppedError,
  OutcomeUnknownError,
  OverloadedError,
  ProposalTimeoutError,
} from '../src/errors.js';
import { ProposalTracker } from '../src/proposals.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const entry = (index: number, term: number) => ({ index, term, type: 0 as const, data: bytes(1) });

/** A core stand-in that appends at consecutive indexes in one term. */
function appender(term: number, from = 1) {
  let next = from;
  return () => ({ index: next++, term });
}

describe('ProposalTracker', () => {
  const limits = { maxEntries: 3, maxBytes: 10, timeoutMs: 100 };

  it('resolves a proposal when its (index, term) commits, with the result', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const first = tracker.submit(bytes(1));
    const second = tracker.submit(bytes(2));
    tracker.proposeQueued(appender(2), 0);
    tracker.committed(entry(1, 2), 'one');
    tracker.committed(entry(2, 2), 'two');
    await expect(first).resolves.toBe('one');
    await expect(second).resolves.toBe('two');
  });

  it('rejects as superseded when another term commits at its index, and resolves the one that matches', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const old = tracker.submit(bytes(1));
    tracker.proposeQueued(appender(2, 5), 0);
    const fresh = tracker.submit(bytes(2));
    tracker.proposeQueued(appender(4, 5), 0);
    tracker.committed(entry(5, 4), 'fresh');
    await expect(old).rejects.toBeInstanceOf(EntrySupersededError);
    await expect(fresh).resolves.toBe('fresh');
  });

  it('passes a refusal from the core through as a definite failure', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const refused = tracker.submit(bytes(1));
    tracker.proposeQueued(() => {
      throw new NotLeaderError(3);
    }, 0);
    await expect(refused).rejects.toMatchObject({ name: 'NotLeaderError', leader: 3 });
  });

  it('keeps proposals queued when the core faults, so stopping reports them as not appended', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const appended = tracker.submit(bytes(1));
    const notAppended = tracker.submit(bytes(2));
    let calls = 0;
    expect(() =>
      tracker.proposeQueued(() => {
        if (calls++ === 0) return { index: 1, term: 1 };
        throw new Error('core fault');
      }, 0),
    ).toThrow('core fault');
    tracker.abort(undefined);
    await expect(appended).rejects.toBeInstanceOf(OutcomeUnknownError);
    await expect(notAppended).rejects.toBeInstanceOf(NodeStoppedError);
  });

  it('times out appended proposals as outcome unknown, on the sweep after their deadline', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const slow = tracker.submit(bytes(1));
    tracker.proposeQueued(appender(1), 1000);
    tracker.expire(1099);
    tracker.expire(1100);
    const error = await slow.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProposalTimeoutError);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ index: 1, term: 1 });
  });

  it('rejects with Overloaded past the entry and byte bounds, and accepts again once answered', async () => {
    const tracker = new ProposalTracker<string>(limits);
    const inFlight = [tracker.submit(bytes(1)), tracker.submit(bytes(2)), tracker.submit(bytes(3))];
    await expect(tracker.submit(bytes(4))).rejects.toMatchObject({ name: 'OverloadedError', limit: 'entries' });
    tracker.proposeQueued(appender(1), 0);
    tracker.committed(entry(1, 1), 'ok');
    await expect(inFlight[0]).resolves.toBe('ok');
    await expect(tracker.submit(new Uint8Array(9))).rejects.toBeInstanceOf(OverloadedError);
    const fits = tracker.submit(new Uint8Array(8));
    tracker.abort(undefined);
    await expect(fits).rejects.toBeInstanceOf(NodeStoppedError);
    await Promise.allSettled(inFlight);
  });
});
