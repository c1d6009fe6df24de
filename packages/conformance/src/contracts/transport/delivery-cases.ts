import { expect, it } from 'vitest';
import type { Message } from '@raft/core';
import type { CaseContext } from './context.js';
import type { ResolvedTransportSuiteOptions } from './factory.js';
import { everyField, isTagged, messageDifference, sized, tagged } from './messages.js';

/** Cases about what arrives on healthy links: every pair, every field, large and many messages. */
export function deliveryCases(context: () => CaseContext, options: ResolvedTransportSuiteOptions): void {
  const limit = options.overLimitBytes;
  it('starts, then carries messages both ways between every pair of three nodes', async () => {
    const { harness, cluster } = context();
    const nodes = [await harness.start(cluster, 1), await harness.start(cluster, 2), await harness.start(cluster, 3)];
    for (const from of nodes) {
      for (const to of nodes) {
        if (from !== to) await harness.sendUntilDelivered(from, to, () => tagged(from.id, to.id, 1, from.id), (m) => isTagged(m, 1, from.id));
      }
    }
    for (const node of nodes) {
      for (const message of node.inbox) expect(message.to).toBe(node.id);
    }
  });

  it('delivers every field of a message intact', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    const b = await harness.start(cluster, 2);
    const full = everyField(1, 2);
    await harness.sendUntilDelivered(a, b, () => full, (m) => m.type === full.type);
    const received = b.inbox.find((m) => m.type === full.type) as Message;
    expect(messageDifference(received, full)).toBeUndefined();
    const plain = tagged(1, 2, 2, 0);
    await harness.sendUntilDelivered(a, b, () => plain, (m) => isTagged(m, 2));
    const withoutSnapshot = b.inbox.find((m) => isTagged(m, 2)) as Message;
    expect(messageDifference(withoutSnapshot, plain)).toBeUndefined();
  });

  it('delivers a large message intact', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    const b = await harness.start(cluster, 2);
    const large = sized(1, 2, 3, options.largeMessageBytes);
    await harness.sendUntilDelivered(a, b, () => tagged(1, 2, 4, 0), (m) => isTagged(m, 4));
    expect(a.transport.send(large), `sending a ${options.largeMessageBytes}-byte message`).toBe(true);
    await harness.waitFor(
      () => b.inbox.some((m) => isTagged(m, 3)),
      () => `the ${options.largeMessageBytes}-byte message never arrived`,
    );
    expect(messageDifference(b.inbox.find((m) => isTagged(m, 3)) as Message, large)).toBeUndefined();
  });

  // Only adapters that declare a size limit have one to refuse messages over.
  if (limit !== undefined) {
    it('refuses a message over its declared limit by returning false, without throwing', async () => {
      const { harness, cluster } = context();
      const a = await harness.start(cluster, 1);
      await harness.start(cluster, 2);
      expect(a.transport.send(sized(1, 2, 5, limit))).toBe(false);
    });
  }

  it('delivers a burst of small messages uncorrupted, each accepted one exactly once', async () => {
    const { harness, cluster } = context();
    const { burstSize, allowsDuplicates } = options;
    const a = await harness.start(cluster, 1);
    const b = await harness.start(cluster, 2);
    await harness.sendUntilDelivered(a, b, () => tagged(1, 2, 6, 0), (m) => isTagged(m, 6));
    const accepted = new Set<number>();
    for (let seq = 0; seq < burstSize; seq++) {
      if (a.transport.send(tagged(1, 2, 7, seq))) accepted.add(seq);
    }
    expect(accepted.size, 'the transport refused every message of the burst').toBeGreaterThan(0);
    const arrived = new Map<number, number>();
    await harness.waitFor(
      () => {
        for (const message of b.inbox.splice(0)) {
          if (!isTagged(message, 7)) continue;
          expect(messageDifference(message, tagged(1, 2, 7, message.index)), `burst message ${message.index}`).toBeUndefined();
          arrived.set(message.index, (arrived.get(message.index) ?? 0) + 1);
        }
        return [...accepted].every((seq) => arrived.has(seq));
      },
      () => `${[...accepted].filter((seq) => !arrived.has(seq)).length} of ${accepted.size} accepted messages never arrived`,
    );
    const unsent = [...arrived.keys()].filter((seq) => !accepted.has(seq));
    expect(unsent, 'messages the transport refused were delivered anyway').toEqual([]);
    if (!allowsDuplicates) {
      const duplicated = [...arrived].filter(([, count]) => count > 1).map(([seq]) => seq);
      expect(duplicated, 'messages delivered more than once').toEqual([]);
    }
  });

  it('never changes a delivered message afterwards (no reused receive buffers)', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    const b = await harness.start(cluster, 2);
    await harness.sendUntilDelivered(a, b, () => tagged(1, 2, 8, 0), (m) => isTagged(m, 8, 0));
    const first = b.inbox.find((m) => isTagged(m, 8, 0)) as Message;
    const more = 200;
    for (let seq = 1; seq <= more; seq++) a.transport.send(tagged(1, 2, 8, seq));
    await harness.sendUntilDelivered(a, b, () => tagged(1, 2, 8, more + 1), (m) => isTagged(m, 8, more + 1));
    expect(messageDifference(first, tagged(1, 2, 8, 0))).toBeUndefined();
  });
}
