import { describe, expect, it } from 'vitest';
import { EntryType } from '@raft/core';
import { MemoryNetwork } from '../src/index.js';
import { arrivals, nodes, numbered, settled, started } from './support.js';

describe('MemoryNetwork delivery', () => {
  it('delivers asynchronously, never inside send', async () => {
    const net = new MemoryNetwork();
    const cluster = await nodes(net, [1, 2]);
    const receiver = cluster.get(2)!;
    expect(cluster.get(1)!.transport.send(numbered(1, 2, 1))).toBe(true);
    expect(receiver.inbox).toEqual([]);
    await settled(net);
    expect(arrivals(receiver)).toEqual([1]);
  });

  it('hands each receiver its own frozen deep copy', async () => {
    const net = new MemoryNetwork();
    const cluster = await nodes(net, [1, 2]);
    const data = Uint8Array.of(1, 2, 3);
    cluster.get(1)!.transport.send({ ...numbered(1, 2, 1), entries: [{ term: 1, index: 1, type: EntryType.Normal, data }] });
    await settled(net);
    const [received] = cluster.get(2)!.inbox;
    expect(Object.isFrozen(received)).toBe(true);
    expect(Object.isFrozen(received!.entries[0])).toBe(true);
    expect(() => (received!.entries as unknown[]).push(1)).toThrow(TypeError);
    expect(received!.entries[0]!.data).toEqual(data);
    expect(received!.entries[0]!.data.buffer).not.toBe(data.buffer);
  });

  it('refuses unknown peers and sends after close, and drops what reaches a peer that is down', async () => {
    const net = new MemoryNetwork();
    const cluster = await nodes(net, [1, 2]);
    const sender = cluster.get(1)!.transport;
    expect(sender.send(numbered(1, 9, 1))).toBe(false);
    await cluster.get(2)!.transport.close();
    expect(sender.send(numbered(1, 2, 1))).toBe(true);
    await settled(net);
    expect(net.stats(1, 2)).toEqual({ sent: 1, delivered: 0, dropped: 1, duplicated: 0 });
    await sender.close();
    expect(sender.send(numbered(1, 2, 2))).toBe(false);
  });

  it('gives a restarted node a new endpoint that receives messages sent to its id', async () => {
    const net = new MemoryNetwork();
    const first = net.endpoint(2);
    expect(() => net.endpoint(2)).toThrow(/already has an open endpoint/);
    await first.close();
    await expect(first.start(() => {})).rejects.toThrow(/closed; get a new one/);
    const cluster = await nodes(net, [1]);
    const restarted = await started(net.endpoint(2));
    cluster.get(1)!.transport.send(numbered(1, 2, 5));
    await settled(net);
    expect(arrivals(restarted)).toEqual([5]);
  });

  it('refuses sends once a link holds its capacity of delayed messages', async () => {
    const net = new MemoryNetwork({ linkCapacity: 3, faults: { delayMs: [5, 5] } });
    const cluster = await nodes(net, [1, 2]);
    const sender = cluster.get(1)!.transport;
    expect([1, 2, 3, 4].map((seq) => sender.send(numbered(1, 2, seq)))).toEqual([true, true, true, false]);
    await settled(net);
    expect(arrivals(cluster.get(2)!)).toEqual([1, 2, 3]);
  });

  it('drops what a closing sender still has in flight', async () => {
    const net = new MemoryNetwork({ faults: { delayMs: [50, 50] } });
    const cluster = await nodes(net, [1, 2]);
    cluster.get(1)!.transport.send(numbered(1, 2, 1));
    await cluster.get(1)!.transport.close();
    await settled(net);
    expect(net.stats(1, 2)).toEqual({ sent: 1, delivered: 0, dropped: 1, duplicated: 0 });
  });

  it('lets a handler send on the link it is receiving from without an endless turn', async () => {
    const net = new MemoryNetwork();
    const echo = net.endpoint(1);
    let received = 0;
    await echo.start((message) => {
      received++;
      if (message.commit < 100) echo.send(numbered(1, 1, message.commit + 1));
    });
    echo.send(numbered(1, 1, 1));
    await settled(net);
    expect(received).toBe(100);
  });
});
