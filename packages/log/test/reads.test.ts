import { NotLeaderError } from '@raft/core';
import { describe, expect, it } from 'vitest';
import { NodeStoppedError, ReadTimeoutError } from '../src/errors.js';
import { ReadTracker } from '../src/reads.js';

describe('ReadTracker', () => {
  it('batches the reads of one turn into one context and resolves them once the index is applied', async () => {
    const tracker = new ReadTracker(1000);
    let resolved = 0;
    const reads = [tracker.submit(0), tracker.submit(0)].map((read) => read.then((index) => ((resolved += 1), index)));
    const context = tracker.startBatch();
    expect(context).toBeDefined();
    expect(tracker.startBatch()).toBeUndefined();
    tracker.confirm({ index: 7, context: context as Uint8Array });
    tracker.release(6);
    await Promise.resolve();
    expect(resolved).toBe(0);
    tracker.release(7);
    await expect(Promise.all(reads)).resolves.toEqual([7, 7]);
  });

  it('ignores read states for contexts it does not know', async () => {
    const tracker = new ReadTracker(50);
    const read = tracker.submit(0);
    const context = tracker.startBatch() as Uint8Array;
    tracker.confirm({ index: 1, context: Uint8Array.of(1, 2, 3) });
    tracker.release(10);
    tracker.expire(50);
    await expect(read).rejects.toBeInstanceOf(ReadTimeoutError);
    tracker.confirm({ index: 1, context });
  });

  it('fails a batch the core refused, and the rest on abort', async () => {
    const tracker = new ReadTracker(1000);
    const refused = tracker.submit(0);
    tracker.failBatch(tracker.startBatch() as Uint8Array, new NotLeaderError(0));
    await expect(refused).rejects.toBeInstanceOf(NotLeaderError);
    const pending = tracker.submit(0);
    tracker.startBatch();
    tracker.abort(undefined);
    await expect(pending).rejects.toBeInstanceOf(NodeStoppedError);
  });

  it('asks again for unconfirmed requests, and ignores a late answer to the old one', async () => {
    const tracker = new ReadTracker(1000);
    const read = tracker.submit(0);
    const lost = tracker.startBatch() as Uint8Array;
    tracker.retryUnconfirmed();
    const again = tracker.startBatch() as Uint8Array;
    expect(again).not.toEqual(lost);
    tracker.confirm({ index: 3, context: lost });
    tracker.release(10);
    tracker.confirm({ index: 5, context: again });
    tracker.release(10);
    await expect(read).resolves.toBe(5);
  });
});
