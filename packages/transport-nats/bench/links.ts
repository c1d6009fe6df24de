import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Message } from '@raft/core';
import { encodeMessage } from '@raft/core/codec';
import { NatsTransport } from '../src/index.js';
import { appendEntries, patternBytes } from '../test/fixtures.js';

/**
 * Two endpoints, A and B, joined by one way of using NATS. The benchmark drives every link the
 * same way, so the raw client and the transport are measured doing the same work.
 */
export interface Link {
  /** Wire bytes of one message. */
  readonly frameBytes: number;
  /** Sends one message A→B; `false` when refused for now (the caller retries after `settle`). */
  forward(): boolean;
  /** Sends one message B→A. */
  back(): void;
  /** Called for each message B receives. */
  onForward: () => void;
  /** Called for each message A receives. */
  onBack: () => void;
  /** Lets buffered output reach the server before the caller sends more. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

const CLUSTER = 'bench';
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Plain NATS publish/subscribe with payloads as large as the transport's frames. */
export async function rawLink(url: string, frameBytes: number): Promise<Link> {
  const a: NatsConnection = await connect({ servers: url });
  const b: NatsConnection = await connect({ servers: url });
  const payload = patternBytes(frameBytes);
  const link: Link = {
    frameBytes,
    forward: () => {
      a.publish('raw.b', payload);
      return true;
    },
    back: () => b.publish('raw.a', payload),
    onForward: () => {},
    onBack: () => {},
    // The raw client has no send window: waiting for a round trip per batch is how a raw
    // publisher keeps its buffer bounded.
    settle: () => a.flush(),
    close: async () => {
      await a.close();
      await b.close();
    },
  };
  b.subscribe('raw.b', { callback: () => link.onForward() });
  a.subscribe('raw.a', { callback: () => link.onBack() });
  await Promise.all([a.flush(), b.flush()]);
  return link;
}

/** Two {@link NatsTransport}s, nodes 1 and 2, sending AppendEntries with a `payloadBytes` entry. */
export async function transportLink(url: string, payloadBytes: number): Promise<Link> {
  const connection = { servers: url };
  const a = new NatsTransport({ id: 1, cluster: CLUSTER, connection });
  const b = new NatsTransport({ id: 2, cluster: CLUSTER, connection });
  const toB: Message = appendEntries(1, 2, patternBytes(payloadBytes));
  const toA: Message = appendEntries(2, 1, patternBytes(payloadBytes));
  const link: Link = {
    frameBytes: encodeMessage(toB, CLUSTER).length,
    forward: () => a.send(toB),
    back: () => void b.send(toA),
    onForward: () => {},
    onBack: () => {},
    settle: yieldToIo,
    close: async () => {
      await a.close();
      await b.close();
    },
  };
  await b.start(() => link.onForward());
  await a.start(() => link.onBack());
  return link;
}
