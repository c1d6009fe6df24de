import { expect, it } from 'vitest';
import { EntryType, type Message } from '@raft/core';
import { CLUSTER_ID, IDS, type CaseContext } from './context.js';
import type { ResolvedTransportSuiteOptions } from './factory.js';
import { isTagged, tagged } from './messages.js';
import { heapAfterGc, leakedResources } from './resources.js';

/** A node id no cluster of the suite has. */
const STRANGER = 99;

/**
 * Cases about everything but a healthy link: unknown and dead peers, closing, restarts, other
 * clusters and messages to oneself.
 */
export function failureCases(context: () => CaseContext, options: ResolvedTransportSuiteOptions): void {
  it('returns false, without throwing, for a message to a peer it does not know', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    expect(a.transport.send(tagged(1, STRANGER, 10, 0))).toBe(false);
  });

  it('returns false after close, and closing again is harmless', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    await harness.start(cluster, 2);
    await harness.close(a);
    expect(a.transport.send(tagged(1, 2, 11, 0))).toBe(false);
    await a.transport.close();
    await Promise.all([a.transport.close(), a.transport.close()]);
  });

  it('can be closed without ever being started', async () => {
    const { cluster } = context();
    const transport = cluster.open(1);
    await transport.close();
    expect(transport.send(tagged(1, 2, 12, 0))).toBe(false);
  });

  it('releases every socket, timer and handle once closed and disposed', async () => {
    const { harness, cluster } = context();
    const nodes = [await harness.start(cluster, 1), await harness.start(cluster, 2), await harness.start(cluster, 3)];
    await harness.sendUntilDelivered(nodes[0]!, nodes[1]!, () => tagged(1, 2, 13, 0), (m) => isTagged(m, 13));
    await harness.sendUntilDelivered(nodes[2]!, nodes[0]!, () => tagged(3, 1, 13, 0), (m) => isTagged(m, 13));
    for (const node of nodes) await harness.close(node);
    await harness.dispose();
    let leaks: string[] = [];
    await harness.waitFor(
      () => (leaks = leakedResources(harness.resourcesBefore)).length === 0,
      () => `handles still open after close and dispose: ${leaks.join(', ')}`,
    );
  });

  it(`neither throws nor holds on to memory while sending ${options.deadPeerSends} messages to a dead peer`, async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    const c = await harness.start(cluster, 3);
    await harness.sendUntilDelivered(a, c, () => tagged(1, 3, 14, 0), (m) => isTagged(m, 14));
    await harness.close(c);
    const payload: Message = {
      ...tagged(1, 3, 15, 0),
      entries: [{ term: 15, index: 1, type: EntryType.Normal, data: new Uint8Array(1024).fill(7) }],
    };
    const before = heapAfterGc();
    let accepted = 0;
    for (let i = 0; i < options.deadPeerSends; i++) {
      if (a.transport.send(payload)) accepted++;
    }
    const growth = heapAfterGc() - before;
    expect(
      growth,
      `heap grew by ${(growth / 2 ** 20).toFixed(1)} MiB while ${accepted} of ${options.deadPeerSends} sends to a dead peer were accepted`,
    ).toBeLessThan(options.deadPeerHeapBytes);
  });

  it('reaches a peer again once it comes back after a crash', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    const first = await harness.start(cluster, 3);
    await harness.sendUntilDelivered(a, first, () => tagged(1, 3, 16, 0), (m) => isTagged(m, 16));
    await harness.close(first);
    for (let seq = 1; seq <= 100; seq++) a.transport.send(tagged(1, 3, 17, seq));
    const restarted = await harness.start(cluster, 3);
    await harness.sendUntilDelivered(a, restarted, () => tagged(1, 3, 18, 0), (m) => isTagged(m, 18));
    await harness.sendUntilDelivered(restarted, a, () => tagged(3, 1, 18, 0), (m) => isTagged(m, 18));
  });

  it('lets a restarted sender reach its peers again', async () => {
    const { harness, cluster } = context();
    const first = await harness.start(cluster, 1);
    const b = await harness.start(cluster, 2);
    await harness.sendUntilDelivered(first, b, () => tagged(1, 2, 19, 0), (m) => isTagged(m, 19));
    await harness.close(first);
    const restarted = await harness.start(cluster, 1);
    await harness.sendUntilDelivered(restarted, b, () => tagged(1, 2, 20, 0), (m) => isTagged(m, 20));
    await harness.sendUntilDelivered(b, restarted, () => tagged(2, 1, 20, 0), (m) => isTagged(m, 20));
  });

  it('keeps clusters with different ids apart', async () => {
    const { harness, cluster } = context();
    const other = await harness.cluster(IDS, `${CLUSTER_ID}-other`);
    const ours = [await harness.start(cluster, 1), await harness.start(cluster, 2)] as const;
    const theirs = [await harness.start(other, 1), await harness.start(other, 2)] as const;
    await harness.sendUntilDelivered(theirs[0], theirs[1], () => tagged(1, 2, 21, 0), (m) => isTagged(m, 21));
    await harness.sendUntilDelivered(ours[0], ours[1], () => tagged(1, 2, 22, 0), (m) => isTagged(m, 22));
    expect(ours[1].inbox.filter((m) => isTagged(m, 21)), 'messages from the other cluster').toEqual([]);
    expect(theirs[1].inbox.filter((m) => isTagged(m, 22)), 'messages from this cluster in the other one').toEqual([]);
  });

  it('accepts or refuses a message to itself without throwing (core never sends one)', async () => {
    const { harness, cluster } = context();
    const a = await harness.start(cluster, 1);
    expect(typeof a.transport.send(tagged(1, 1, 23, 0))).toBe('boolean');
  });
}
