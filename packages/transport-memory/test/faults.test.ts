import { describe, expect, it } from 'vitest';
import { seededRandom } from '@raft/core';
import { MemoryNetwork, NetworkFaults, withFaults } from '../src/index.js';
import { arrivals, nodes, numbered, settled, started } from './support.js';

/** How many of `n` draws of a fresh `seededRandom(seed)` fall below `rate`. */
function drawsBelow(seed: number, n: number, rate: number): number {
  const random = seededRandom(seed);
  let count = 0;
  for (let i = 0; i < n; i++) if (random() < rate) count++;
  return count;
}

async function sendAll(net: MemoryNetwork, from: number, to: number, count: number): Promise<void> {
  const sender = (await nodes(net, [from])).get(from)!.transport;
  for (let seq = 1; seq <= count; seq++) sender.send(numbered(from, to, seq));
}

describe('partitions', () => {
  it('keeps groups apart until healed, and counts what it dropped', async () => {
    const net = new MemoryNetwork();
    const cluster = await nodes(net, [1, 2, 3]);
    const send = (from: number, to: number, seq: number) => cluster.get(from)!.transport.send(numbered(from, to, seq));
    net.partition([1], [2, 3]);
    send(1, 2, 1);
    send(2, 1, 2);
    send(2, 3, 3);
    await settled(net);
    expect(arrivals(cluster.get(1)!)).toEqual([]);
    expect(arrivals(cluster.get(2)!)).toEqual([]);
    expect(arrivals(cluster.get(3)!)).toEqual([3]);
    expect(net.stats(1, 2).dropped).toBe(1);
    net.heal();
    send(1, 2, 4);
    await settled(net);
    expect(arrivals(cluster.get(2)!)).toEqual([4]);
  });

  it('cuts off nodes listed in no group', () => {
    const faults = new NetworkFaults();
    faults.partition([1, 2]);
    expect(faults.isBlocked(1, 2)).toBe(false);
    expect(faults.isBlocked(1, 3)).toBe(true);
    expect(faults.isBlocked(3, 4)).toBe(true);
    expect(faults.isBlocked(3, 3)).toBe(false);
  });

  it('isolates a node both ways and cuts a link one way', () => {
    const faults = new NetworkFaults();
    faults.isolate(2);
    faults.cut(1, 3);
    expect([faults.isBlocked(1, 2), faults.isBlocked(2, 3), faults.isBlocked(1, 3), faults.isBlocked(3, 1)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    faults.heal();
    expect([faults.isBlocked(1, 2), faults.isBlocked(1, 3)]).toEqual([false, false]);
  });
});

describe('random faults', () => {
  it('drops exactly the messages its seeded random says', async () => {
    const net = new MemoryNetwork({ random: seededRandom(7), faults: { dropRate: 0.3 } });
    const receiver = (await nodes(net, [2])).get(2)!;
    await sendAll(net, 1, 2, 1000);
    await settled(net);
    const drops = drawsBelow(7, 1000, 0.3);
    expect(net.stats(1, 2)).toEqual({ sent: 1000, delivered: 1000 - drops, dropped: drops, duplicated: 0 });
    expect(receiver.inbox).toHaveLength(1000 - drops);
  });

  it('duplicates exactly the messages its seeded random says, in order without delays', async () => {
    const net = new MemoryNetwork({ random: seededRandom(11), faults: { duplicateRate: 0.25 } });
    const receiver = (await nodes(net, [2])).get(2)!;
    await sendAll(net, 1, 2, 400);
    await settled(net);
    const extra = drawsBelow(11, 400, 0.25);
    expect(net.stats(1, 2)).toEqual({ sent: 400, delivered: 400 + extra, dropped: 0, duplicated: extra });
    const seen = arrivals(receiver);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('keeps each link in order under random delays unless reordering is on', async () => {
    const net = new MemoryNetwork({ random: seededRandom(3), faults: { delayMs: [0, 10] } });
    const receiver = (await nodes(net, [2])).get(2)!;
    await sendAll(net, 1, 2, 100);
    await settled(net);
    expect(arrivals(receiver)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    net.setFaults({ reorder: true });
    receiver.inbox.length = 0;
    await sendAll(net, 3, 2, 100);
    await settled(net);
    const seen = arrivals(receiver);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(seen).not.toEqual([...seen].sort((a, b) => a - b));
  });

  it('rejects rates and delays that make no sense', () => {
    const faults = new NetworkFaults();
    expect(() => faults.setFaults({ dropRate: 1.5 })).toThrow(/dropRate must be in \[0, 1\]/);
    expect(() => faults.setFaults({ delayMs: [5, 1] })).toThrow(/0 <= min <= max/);
    expect(faults.faults.dropRate).toBe(0);
  });
});

describe('withFaults', () => {
  it('applies partitions, drops and delays to another transport, sharing one set of rules', async () => {
    const inner = new MemoryNetwork();
    const faults = new NetworkFaults({ random: seededRandom(5) });
    const a = await started(withFaults(inner.endpoint(1), faults));
    const b = await started(withFaults(inner.endpoint(2), faults));
    faults.partition([1], [2]);
    expect(a.transport.send(numbered(1, 2, 1))).toBe(true);
    faults.heal();
    faults.setFaults({ delayMs: [5, 10] });
    a.transport.send(numbered(1, 2, 2));
    b.transport.send(numbered(2, 1, 3));
    await settled(faults);
    await settled(inner);
    expect(arrivals(b)).toEqual([2]);
    expect(arrivals(a)).toEqual([3]);
    expect(faults.stats(1, 2)).toEqual({ sent: 2, delivered: 1, dropped: 1, duplicated: 0 });
  });

  it("passes the inner transport's answer through when nothing delays the message", async () => {
    const inner = new MemoryNetwork();
    const a = await started(withFaults(inner.endpoint(1), new NetworkFaults()));
    expect(a.transport.send(numbered(1, 9, 1))).toBe(false);
  });

  it('drops what it still holds when closed, and closes the inner transport', async () => {
    const inner = new MemoryNetwork();
    const faults = new NetworkFaults({ faults: { delayMs: [50, 50] } });
    const b = await started(inner.endpoint(2));
    const a = withFaults(inner.endpoint(1), faults);
    a.send(numbered(1, 2, 1));
    await a.close();
    expect(faults.stats(1, 2)).toEqual({ sent: 1, delivered: 0, dropped: 1, duplicated: 0 });
    expect(() => inner.endpoint(1)).not.toThrow();
    expect(b.inbox).toEqual([]);
  });
});
