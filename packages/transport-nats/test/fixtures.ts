import type { Message, NodeId } from '@raft/core';
import { EMPTY, MessageType, createMessage } from '@raft/core';

/** An AppendEntries message from `from` to `to` carrying one entry of `payload`. */
export function appendEntries(from: NodeId, to: NodeId, payload: Uint8Array = EMPTY, index = 1): Message {
  return createMessage({ type: MessageType.App, from, to, term: 3, logTerm: 2, index, entries: [{ term: 3, index: index + 1, type: 0, data: payload }], commit: index });
}

/** `length` bytes of a recognisable pattern. */
export function patternBytes(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 7 + 3) & 0xff);
}

/** Collects what a transport delivers. */
export class Inbox {
  readonly messages: Message[] = [];
  readonly handler = (message: Message): void => {
    this.messages.push(message);
  };

  /** The first delivered message satisfying `predicate`, or `undefined` (a `waitUntil` probe). */
  find(predicate: (message: Message) => boolean): Message | undefined {
    return this.messages.find(predicate);
  }
}
