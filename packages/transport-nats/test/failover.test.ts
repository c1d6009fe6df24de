import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsTransport } from '../src/index.js';
import { NatsCluster, waitUntil } from '../src/testing/index.js';
import { appendEntries, Inbox, patternBytes } from './fixtures.js';

let cluster: NatsCluster;

beforeAll(async () => {
  cluster = await NatsCluster.start({ size: 3, maxPayload: 16 * 1024 });
});
afterAll(async () => {
  await cluster.stop();
});

/**
 * A transport that prefers the servers in the order given (no shuffling), so tests know where it
 * is. It pings its server every 200 ms and gives up on it after two unanswered pings, and gives a
 * connection attempt 500 ms (the client's first reconnect attempt goes to the same server), so a
 * hung server is left within the test's deadline.
 */
async function startOn(id: number, servers: string[], inbox: Inbox): Promise<NatsTransport> {
  const transport = new NatsTransport({
    id,
    cluster: 'failover',
    connection: { servers, noRandomize: true, reconnectTimeWait: 100, reconnectJitter: 0, pingInterval: 200, maxPingOut: 2, timeout: 500 },
  });
  await transport.start(inbox.handler);
  return transport;
}

function portOf(transport: NatsTransport): number {
  return Number((transport.connection?.getServer() ?? '').split(':').at(-1));
}

/** Keeps sending from `from` to `to` until `inbox` holds a message with `index`. */
function deliverEventually(from: NatsTransport, to: number, inbox: Inbox, index: number, size = 100) {
  return waitUntil(`node ${to} to receive message ${index}`, () => {
    from.send(appendEntries(from.id, to, patternBytes(size), index));
    return inbox.find((message) => message.index === index);
  }, { timeoutMs: 15_000 });
}

describe('NatsTransport across a three-server NATS cluster', () => {
  it('keeps delivering, whole and chunked, after the server one endpoint is on is killed', async () => {
    const [a, b, c] = cluster.urls as [string, string, string];
    const inboxOne = new Inbox();
    const inboxTwo = new Inbox();
    const one = await startOn(1, [a, b, c], inboxOne);
    const two = await startOn(2, [c, b, a], inboxTwo);
    try {
      expect(portOf(one)).toBe(cluster.server(0).ports.client);
      expect(portOf(two)).toBe(cluster.server(2).ports.client);
      await deliverEventually(one, 2, inboxTwo, 10);

      await cluster.server(0).kill();
      await waitUntil('node 1 to move to another server', () => (portOf(one) !== cluster.server(0).ports.client ? true : undefined), {
        timeoutMs: 15_000,
      });

      await deliverEventually(one, 2, inboxTwo, 20);
      await deliverEventually(two, 1, inboxOne, 21);
      await deliverEventually(one, 2, inboxTwo, 30, 100_000);
      expect(inboxTwo.find((message) => message.index === 30)).toEqual(appendEntries(1, 2, patternBytes(100_000), 30));
    } finally {
      await one.close();
      await two.close();
      await cluster.restart(0);
    }
  });

  it('moves off a server that hangs with its sockets open, and keeps delivering', async () => {
    const [a, b, c] = cluster.urls as [string, string, string];
    const inboxOne = new Inbox();
    const inboxTwo = new Inbox();
    const one = await startOn(1, [b, c, a], inboxOne);
    const two = await startOn(2, [c, a, b], inboxTwo);
    try {
      expect(portOf(one)).toBe(cluster.server(1).ports.client);
      await deliverEventually(one, 2, inboxTwo, 40);

      cluster.server(1).freeze();
      await waitUntil('node 1 to give up on the hung server', () => (portOf(one) !== cluster.server(1).ports.client ? true : undefined), {
        timeoutMs: 15_000,
      });

      await deliverEventually(one, 2, inboxTwo, 50);
      await deliverEventually(two, 1, inboxOne, 51);
      await deliverEventually(one, 2, inboxTwo, 60, 100_000);
    } finally {
      cluster.server(1).thaw();
      await one.close();
      await two.close();
    }
  });
});
