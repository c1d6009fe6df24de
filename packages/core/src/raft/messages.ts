import { EMPTY, type Message } from '../types.js';

/**
 * A message with every field its type does not use left at its zero value (no entries, an empty
 * context, 0 and false elsewhere), so code that sends one names only what it means.
 *
 * @example
 * ```ts
 * transport.send(createMessage({ type: MessageType.Heartbeat, from: 1, to: 2, term: 3, commit: 7 }));
 * ```
 */
export function createMessage(fields: Partial<Message> & Pick<Message, 'type' | 'from' | 'to' | 'term'>): Message {
  return {
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: EMPTY,
    ...fields,
  };
}

/** The context a campaign carries when a leader handed over leadership (TimeoutNow). */
export const TRANSFER_CONTEXT: Uint8Array = Uint8Array.of(0x54, 0x52);

/** Whether a vote request comes from a leadership transfer, which may interrupt a healthy leader. */
export function isTransferCampaign(context: Uint8Array): boolean {
  return context.length === 2 && context[0] === 0x54 && context[1] === 0x52;
}
