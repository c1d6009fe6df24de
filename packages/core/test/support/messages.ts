import type { Message } from '@raft/core';
import { message } from '../../src/raft/messages.js';

/** A message built by hand, every unused field at its zero value. */
export const msg = message;

/** The types of `messages`, in order, for compact assertions. */
export function typesOf(messages: readonly Message[]): Message['type'][] {
  return messages.map((m) => m.type);
}
