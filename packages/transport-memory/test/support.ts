import { vi } from 'vitest';
import { MessageType, createMessage, type Message, type NodeId, type Transport } from '@raft/core';
import type { MemoryNetwork, NetworkFaults } from '../src/index.js';

/** A heartbeat from `from` to `to` numbered `seq` (in `commit`), so arrival order can be checked. */
export function numbered(from: NodeId, to: NodeId, seq: number): Message {
  return createMessage({ type: MessageType.Heartbeat, from, to, term: 1, commit: seq });
}

/** A started endpoint and what it received. */
export interface Node {
  readonly transport: Transport;
  readonly inbox: Message[];
}

/** Starts `transport` recording deliveries. */
export async function started(transport: Transport): Promise<Node> {
  const inbox: Message[] = [];
  await transport.start((message) => inbox.push(message));
  return { transport, inbox };
}

/** Starts endpoints for `ids` on `network`. */
export async function nodes(network: MemoryNetwork, ids: readonly NodeId[]): Promise<Map<NodeId, Node>> {
  const result = new Map<NodeId, Node>();
  for (const id of ids) result.set(id, await started(network.endpoint(id)));
  return result;
}

/** Waits until every copy sent so far has been delivered or dropped. */
export async function settled(faults: NetworkFaults): Promise<void> {
  await vi.waitFor(
    () => {
      const { sent, duplicated, delivered, dropped } = faults.totals();
      if (delivered + dropped !== sent + duplicated) throw new Error(`still in flight: ${JSON.stringify(faults.totals())}`);
    },
    { timeout: 5_000, interval: 2 },
  );
}

/** The sequence numbers of what arrived, in arrival order. */
export const arrivals = (node: Node): number[] => node.inbox.map((message) => message.commit);
