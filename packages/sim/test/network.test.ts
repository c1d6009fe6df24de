import { describe, expect, it } from 'vitest';
import { MessageType, createMessage } from '@raft/core';
import type { Message } from '@raft/core';
import { RELIABLE, SimNetwork, SimRandom } from '../src/index.js';
import type { NetworkEvent, NetworkRates } from '../src/index.js';

const message = (from: number, to: number, index = 0): Message => createMessage({ type: MessageType.App, from, to, term: 1, index });

function network(rates: Partial<NetworkRates>, seed = 1, capacity?: number) {
  const events: NetworkEvent[] = [];
  const net = new SimNetwork(new SimRandom(seed), { ...RELIABLE, ...rates }, (e) => events.push(e), capacity);
  const drain = (): number[] => {
    const out: number[] = [];
    for (let m = net.take(); m !== undefined; m = net.take()) out.push(m.index);
    return out;
  };
  return { net, events, drain };
}

describe('SimNetwork', () => {
  it('delivers in order when reliable', () => {
    const { net, drain } = network({});
    for (let i = 1; i <= 5; i++) net.send(message(1, 2, i));
    expect(drain()).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops every message at drop rate 1, and says why', () => {
    const { net, events, drain } = network({ drop: 1 });
    net.send(message(1, 2));
    expect(drain()).toEqual([]);
    expect(events).toEqual([{ kind: 'lost', message: message(1, 2), reason: 'dropped' }]);
  });

  it('duplicates every message at duplicate rate 1', () => {
    const { net, drain } = network({ duplicate: 1 });
    net.send(message(1, 2, 7));
    expect(drain()).toEqual([7, 7]);
  });

  it('holds delayed messages until enough ticks pass', () => {
    const { net, drain } = network({ delay: 1, maxDelay: 1 });
    net.send(message(1, 2, 3));
    expect(net.hasDeliverable()).toBe(false);
    expect(drain()).toEqual([]);
    net.tick();
    expect(drain()).toEqual([3]);
  });

  it('reorders deterministically for a given seed', () => {
    const orders = [1, 1, 2].map((seed) => {
      const { net, drain } = network({ reorder: 1 }, seed);
      for (let i = 1; i <= 8; i++) net.send(message(1, 2, i));
      return drain();
    });
    expect(orders[0]).toEqual(orders[1]);
    expect([...(orders[0] as number[])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(orders[0]).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(orders[2]).not.toEqual(orders[0]);
  });

  it('cuts links across a partition, including messages already in flight, until healed', () => {
    const { net, events, drain } = network({});
    net.send(message(1, 3, 1));
    net.partition([[1, 2], [3]]);
    net.send(message(1, 3, 2));
    net.send(message(1, 2, 3));
    expect(drain()).toEqual([3]);
    expect(events.filter((e) => e.kind === 'lost').map((e) => e.message.index)).toEqual([2, 1]);
    net.heal();
    net.send(message(1, 3, 4));
    expect(drain()).toEqual([4]);
  });

  it('stays bounded: past capacity the oldest message is lost', () => {
    const { net, events, drain } = network({}, 1, 2);
    for (let i = 1; i <= 3; i++) net.send(message(1, 2, i));
    expect(drain()).toEqual([2, 3]);
    expect(events.find((e) => e.kind === 'lost')).toMatchObject({ reason: 'overflow', message: { index: 1 } });
  });
});
