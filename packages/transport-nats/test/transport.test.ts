import { connect, type NatsConnection } from '@nats-io/transport-node';
import { encodeMessage } from '@raft/core/codec';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packBundles } from '../src/bundling.js';
import { NatsTransport, type NatsTransportOptions } from '../src/index.js';
import { NatsServer, waitUntil } from '../src/testing/index.js';
import { appendEntries, Inbox, patternBytes } from './fixtures.js';

const MAX_PAYLOAD = 8 * 1024;
const wait = { timeoutMs: 10_000 };

let server: NatsServer;
const open: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  server = await NatsServer.start({ maxPayload: MAX_PAYLOAD });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((resource) => resource.close()));
});
afterAll(async () => {
  await server.stop();
});

function transport(id: number, options: Partial<NatsTransportOptions> = {}): NatsTransport {
  const created = new NatsTransport({ id, cluster: 'test', connection: { servers: server.url }, ...options });
  open.push(created);
  return created;
}

async function started(id: number, options: Partial<NatsTransportOptions> = {}): Promise<[NatsTransport, Inbox]> {
  const inbox = new Inbox();
  const created = transport(id, options);
  await created.start(inbox.handler);
  return [created, inbox];
}

async function rawConnection(): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url });
  open.push(nc);
  return nc;
}

describe('NatsTransport on one server', () => {
  it('delivers messages both ways using node ids only', async () => {
    const [one, inboxOne] = await started(1);
    const [two, inboxTwo] = await started(2);
    expect(one.send(appendEntries(1, 2, patternBytes(100)))).toBe(true);
    const received = await waitUntil('node 2 to receive', () => inboxTwo.messages[0], wait);
    expect(received).toEqual(appendEntries(1, 2, patternBytes(100)));
    expect(two.send(appendEntries(2, 1))).toBe(true);
    await waitUntil('node 1 to receive', () => inboxOne.messages[0], wait);
    expect(one.stats()).toMatchObject({ sent: 1, received: 1, dropped: 0, malformed: 0 });
  });

  it('delivers bytes that own their memory, so a kept entry does not pin a NATS read buffer', async () => {
    const [one] = await started(1);
    const [, inbox] = await started(2);
    // Sent in one turn, both land in one bundle, likely in one socket read.
    const messages = [appendEntries(1, 2, patternBytes(100), 1), appendEntries(1, 2, patternBytes(100), 2)];
    for (const message of messages) one.send(message);
    await waitUntil('both messages', () => inbox.messages[1], wait);
    for (const [index, message] of inbox.messages.entries()) {
      expect(message.entries[0]?.data.buffer.byteLength).toBe(encodeMessage(messages[index]!, 'test').length);
    }
  });

  it('refuses messages to ids that are not its peers, and follows setPeers', async () => {
    const [one] = await started(1, { peers: [2] });
    const [, inboxThree] = await started(3);
    expect(one.send(appendEntries(1, 3))).toBe(false);
    expect(one.send(appendEntries(1, 2))).toBe(true);
    one.setPeers([2, 3]);
    await waitUntil('delivery to the added peer', () => {
      one.send(appendEntries(1, 3));
      return inboxThree.messages[0];
    }, wait);
    expect(() => one.setPeers([2, -1])).toThrow(/each id in peers must be a positive integer, got -1/);
  });

  it('sends a burst to one peer as a single NATS message, and delivers every message of it', async () => {
    const [one] = await started(1);
    const [, inbox] = await started(2);
    const before = one.connection?.stats().outMsgs ?? 0;
    // 20 small messages fit in one bundle under the server's 8 KiB max_payload.
    for (let index = 1; index <= 20; index++) expect(one.send(appendEntries(1, 2, patternBytes(10), index))).toBe(true);
    await waitUntil('20 messages', () => (inbox.messages.length === 20 ? true : undefined), wait);
    expect(inbox.messages.map((message) => message.index)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect((one.connection?.stats().outMsgs ?? 0) - before).toBe(1);
  });

  it('chunks messages larger than the server max_payload and reassembles them intact, in send order', async () => {
    const [one] = await started(1);
    const [, inboxTwo] = await started(2);
    expect(one.connection?.info?.max_payload).toBe(MAX_PAYLOAD);
    const sent = [10, MAX_PAYLOAD * 3 + 17, 20, 200_000, 30].map((size, index) => appendEntries(1, 2, patternBytes(size), index));
    for (const message of sent) expect(one.send(message)).toBe(true);
    await waitUntil('five messages', () => (inboxTwo.messages.length === 5 ? true : undefined), wait);
    // Small ones travel bundled on one subject, large ones chunked on another; NATS keeps one
    // connection's messages in order, and the transport publishes them in the order sent.
    expect(inboxTwo.messages).toEqual(sent);
  });

  it('drops malformed frames, chunks and frames of another cluster, and keeps working', async () => {
    const warnings: string[] = [];
    const [two, inbox] = await started(2, { logger: { warn: (message) => warnings.push(message) } });
    const raw = await rawConnection();
    const bundled = (frame: Uint8Array): Uint8Array => packBundles([frame], MAX_PAYLOAD)[0] ?? frame;
    raw.publish('raft.test.2', Uint8Array.of(1, 2, 3, 250, 251));
    raw.publish('raft.test.2', bundled(Uint8Array.of(1, 2, 3, 250, 251)));
    raw.publish('raft.test.2', bundled(encodeMessage(appendEntries(1, 2), 'other-cluster')));
    raw.publish('raft.test.2', bundled(encodeMessage(appendEntries(1, 3), 'test')));
    raw.publish('raft.test.2.chunk', Uint8Array.of(9, 9, 9));
    raw.publish('raft.test.2', bundled(encodeMessage(appendEntries(1, 2), 'test')));
    await waitUntil('the well-formed message', () => inbox.messages[0], wait);
    expect(inbox.messages).toHaveLength(1);
    expect(two.stats().malformed).toBe(5);
    expect(warnings.filter((warning) => warning.includes('dropped'))).toHaveLength(5);
  });

  it('refuses to send before start and after close, and close is idempotent', async () => {
    const one = transport(1);
    expect(one.send(appendEntries(1, 2))).toBe(false);
    await one.start(() => {});
    const connection = one.connection;
    await one.close();
    await one.close();
    expect(connection?.isClosed()).toBe(true);
    expect(one.send(appendEntries(1, 2))).toBe(false);
    expect(one.stats().dropped).toBe(2);
    await expect(one.start(() => {})).rejects.toThrow(/already called/);
  });

  it('subscribes on a connection it is given and leaves that connection open on close', async () => {
    const shared = await rawConnection();
    const inbox = new Inbox();
    const two = transport(2, { connection: shared });
    await two.start(inbox.handler);
    const [one] = await started(1);
    one.send(appendEntries(1, 2));
    await waitUntil('delivery over the shared connection', () => inbox.messages[0], wait);
    await two.close();
    expect(shared.isClosed()).toBe(false);
  });

  it('bounds the bytes outstanding: a burst beyond the window is dropped, not buffered', async () => {
    const window = 64 * 1024;
    const [one] = await started(1, { maxOutstandingBytes: window });
    await started(2);
    const message = appendEntries(1, 2, patternBytes(4_000));
    // No await in the loop: the server cannot confirm anything, so the window fills and stays full.
    const accepted = Array.from({ length: 100 }, () => one.send(message)).filter(Boolean).length;
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(100);
    expect(accepted * 4_000).toBeLessThanOrEqual(window);
    // Once the server has confirmed the burst, the window opens again.
    await waitUntil('the window to reopen', () => (one.send(message) ? true : undefined), wait);
  });

  it('drops a message larger than maxMessageBytes and says which option to raise', async () => {
    const warnings: string[] = [];
    const [one] = await started(1, { maxMessageBytes: 50_000, logger: { warn: (message) => warnings.push(message) } });
    expect(one.send(appendEntries(1, 2, patternBytes(60_000)))).toBe(false);
    expect(warnings.join('\n')).toMatch(/maxMessageBytes/);
  });

  it('names the option at fault when options are invalid', () => {
    expect(() => transport(0)).toThrow(/id must be a positive integer/);
    expect(() => transport(1, { cluster: 'a.b' })).toThrow(/cluster "a.b" cannot be used in a NATS subject/);
    expect(() => transport(1, { subjectPrefix: 'raft.*' })).toThrow(/subjectPrefix/);
    expect(() => transport(1, { maxMessageBytes: 10, maxReassemblyBytes: 5 })).toThrow(/maxReassemblyBytes/);
    expect(() => transport(1, { drainTimeoutMs: 0 })).toThrow(/drainTimeoutMs must be a positive integer/);
    expect(() => transport(1, { peers: [2, 1.5] })).toThrow(/each id in peers must be a positive integer, got 1.5/);
  });

  it('says where it tried when NATS cannot be reached', async () => {
    const gone = await NatsServer.start();
    const url = gone.url;
    await gone.stop();
    const one = transport(1, { connection: { servers: url, reconnect: false } });
    await expect(one.start(() => {})).rejects.toThrow(/could not connect to NATS at .*check that nats-server is running/);
  });

  it('drops while its server is down, then delivers again once it is back', async () => {
    const own = await NatsServer.start();
    try {
      const options = { connection: { servers: own.url, reconnectTimeWait: 50 } };
      const [one] = await started(1, options);
      const [, inbox] = await started(2, options);
      await own.kill();
      await waitUntil('send to drop while disconnected', () => (one.send(appendEntries(1, 2)) ? undefined : true), wait);
      await own.restart();
      await waitUntil('delivery after the server restarts', () => {
        one.send(appendEntries(1, 2));
        return inbox.messages[0];
      }, wait);
    } finally {
      await own.stop();
    }
  });

  it('closes after drainTimeoutMs when its server hangs instead of waiting for it', async () => {
    const own = await NatsServer.start();
    try {
      const one = transport(1, { connection: { servers: own.url }, drainTimeoutMs: 100 });
      await one.start(() => {});
      expect(one.send(appendEntries(1, 2))).toBe(true);
      own.freeze();
      // Without the timeout, draining would wait for the frozen server (minutes, until the
      // client's ping check gives up) and the test would time out.
      await one.close();
      expect(one.connection?.isClosed()).toBe(true);
    } finally {
      await own.stop();
    }
  });

  it('closes its connection even when its server is gone', async () => {
    const own = await NatsServer.start();
    try {
      const one = transport(1, { connection: { servers: own.url, reconnectTimeWait: 50 } });
      await one.start(() => {});
      await own.kill();
      await waitUntil('the disconnect to be noticed', () => (one.send(appendEntries(1, 2)) ? undefined : true), wait);
      await one.close();
      expect(one.connection?.isClosed()).toBe(true);
    } finally {
      await own.stop();
    }
  });
});
