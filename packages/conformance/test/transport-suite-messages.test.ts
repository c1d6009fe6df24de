import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { Message } from '@raft/core';
import { everyField, messageDifference, tagged } from '../src/contracts/transport/messages.js';
import { waitUntil } from '../src/contracts/transport/wait.js';

const sent = everyField(1, 2);
const flipped = (bytes: Uint8Array, at: number): Uint8Array => {
  const copy = bytes.slice();
  copy[at] = (copy[at] as number) ^ 1;
  return copy;
};

describe('transport suite: telling a received message from the one sent', () => {
  it('accepts an exact copy, including bytes delivered as Buffers or views', () => {
    const copy: Message = {
      ...structuredClone(sent),
      context: Buffer.from(sent.context),
      entries: sent.entries.map((entry) => ({ ...entry, data: Buffer.concat([Buffer.of(9), entry.data]).subarray(1) })),
    };
    expect(messageDifference(copy, sent)).toBeUndefined();
  });

  it('reports each kind of corruption', () => {
    const [first, ...rest] = sent.entries;
    const snapshot = sent.snapshot!;
    const cases: [Message, RegExp][] = [
      [{ ...sent, logTerm: sent.logTerm + 1 }, /logTerm is/],
      [{ ...sent, reject: false }, /reject is false, sent true/],
      [{ ...sent, context: flipped(sent.context, 0) }, /context bytes differ/],
      [{ ...sent, entries: rest }, /2 entries, sent 3/],
      [{ ...sent, entries: [{ ...first!, data: flipped(first!.data, 200) }, ...rest] }, /entry 0: data differs/],
      [{ ...sent, entries: [{ ...first!, index: 1 }, ...rest] }, /entry 0: \(term 5, index 1/],
      [{ ...sent, snapshot: { ...snapshot, data: flipped(snapshot.data, 3) } }, /snapshot data differs/],
      [{ ...sent, snapshot: { ...snapshot, meta: { ...snapshot.meta, conf: { ...snapshot.meta.conf, learners: [] } } } }, /snapshot learners are \[\]/],
      [tagged(1, 2, 1, 1), /type is 5, sent 9/],
    ];
    for (const [received, problem] of cases) expect(messageDifference(received, sent)).toMatch(problem);
    const { snapshot: _dropped, ...withoutSnapshot } = sent;
    expect(messageDifference(withoutSnapshot, sent)).toBe('snapshot is absent, sent one');
  });
});

describe('transport suite: waiting with a deadline', () => {
  it('resolves once the condition holds and reports the state at the deadline otherwise', async () => {
    let polls = 0;
    await waitUntil(() => ++polls === 3, 1_000, () => 'unreachable');
    expect(polls).toBe(3);
    await expect(waitUntil(() => false, 20, () => `after ${polls} polls`)).rejects.toThrow(/timed out after 20 ms: after 3 polls/);
  });
});
