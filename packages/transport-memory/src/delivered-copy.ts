import type { Message } from '@raft/core';

/**
 * The copy of a message a receiver gets: deep (its bytes are its own, as after a real network
 * hop) and frozen in structure, so a receiver that modifies a message it was given fails loudly in
 * tests instead of corrupting what another node sees. Byte arrays cannot be frozen; they are
 * copies, so changing them harms no one else.
 *
 * `structuredClone` keeps views of one buffer sharing one copy, so entries decoded as views of a
 * single frame are copied once, not once per entry.
 */
export function deliveredCopy(message: Message): Message {
  const copy = structuredClone(message);
  for (const entry of copy.entries) Object.freeze(entry);
  Object.freeze(copy.entries);
  if (copy.snapshot) {
    const { conf } = copy.snapshot.meta;
    for (const ids of [conf.voters, conf.learners, conf.votersOutgoing, conf.learnersNext]) Object.freeze(ids);
    Object.freeze(conf);
    Object.freeze(copy.snapshot.meta);
    Object.freeze(copy.snapshot);
  }
  return Object.freeze(copy);
}
