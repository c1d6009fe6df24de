import { createServer } from 'node:net';
import type { Message, NodeId } from '@raft/core';
import { MessageType, createMessage } from '@raft/core';

/**
 * `count` distinct TCP ports that were free on 127.0.0.1 a moment ago: each is taken by a server
 * at once (so none repeats) and released before returning.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

/** A loopback address for each of `ids`, on free ports. */
export async function loopbackAddresses(ids: readonly NodeId[]): Promise<Map<NodeId, string>> {
  const ports = await freePorts(ids.length);
  return new Map(ids.map((id, i) => [id, `tcp://127.0.0.1:${ports[i]!}`]));
}

/** `addresses` without `id`'s own entry: the peers of node `id`. */
export function peersOf(id: NodeId, addresses: ReadonlyMap<NodeId, string>): Map<NodeId, string> {
  return new Map([...addresses].filter(([peer]) => peer !== id));
}

/** A heartbeat from `from` to `to`; `commit` tells messages apart. */
export function heartbeat(from: NodeId, to: NodeId, commit: number): Message {
  return createMessage({ type: MessageType.Heartbeat, from, to, term: 1, commit });
}

/** An AppendEntries from `from` to `to` with `count` entries of `entryBytes` bytes each. */
export function appendEntries(from: NodeId, to: NodeId, count: number, entryBytes: number): Message {
  const data = new Uint8Array(entryBytes).fill(0x5a);
  return {
    ...heartbeat(from, to, 0),
    type: MessageType.App,
    index: 1,
    logTerm: 1,
    entries: Array.from({ length: count }, (_, i) => ({ term: 1, index: i + 2, type: 0 as const, data })),
  };
}

/** Collects what a transport delivers. */
export class Inbox {
  readonly messages: Message[] = [];
  readonly handler = (message: Message): void => {
    this.messages.push(message);
  };

  /** Whether a message from `from` with commit `commit` arrived. */
  has(from: NodeId, commit: number): boolean {
    return this.messages.some((message) => message.from === from && message.commit === commit);
  }
}

/** Resolves once `condition` holds, checking every few milliseconds; rejects with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
