import { Buffer } from 'node:buffer';
import { EMPTY, EntryType, MessageType, createMessage, type Entry, type Message, type NodeId } from '@raft/core';
import { testEntry } from '../storage/fixtures.js';

/**
 * Test messages. The suite tells its messages apart by `term` (which case sent it) and `index` (a
 * sequence number within the case); entries are derived from those, so any received message can
 * be checked byte for byte against the one that must have been sent.
 */

/** A small message carrying `seq`, with a payload derived from it. */
export function tagged(from: NodeId, to: NodeId, marker: number, seq: number): Message {
  return createMessage({ type: MessageType.App, from, to, term: marker, logTerm: marker, index: seq, entries: [testEntry(seq + 1, marker)], commit: seq });
}

/** Whether `message` is the `tagged` message `seq` of `marker`. */
export function isTagged(message: Message, marker: number, seq?: number): boolean {
  return message.term === marker && (seq === undefined || message.index === seq);
}

/** A message with every field set to a value that would expose a codec that loses or mixes them. */
export function everyField(from: NodeId, to: NodeId): Message {
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  return {
    type: MessageType.Snap,
    from,
    to,
    term: 2 ** 53 - 1,
    logTerm: 2 ** 32 + 7,
    index: 2 ** 31,
    entries: [
      { term: 5, index: 2 ** 40, type: EntryType.Normal, data: allBytes },
      { term: 6, index: 2 ** 40 + 1, type: EntryType.ConfChange, data: Uint8Array.of(0, 0, 0) },
      { term: 6, index: 2 ** 40 + 2, type: EntryType.Normal, data: EMPTY },
    ],
    commit: 128,
    reject: true,
    rejectHint: 16_383,
    context: Uint8Array.of(0xff, 0, 0x54, 0x52),
    snapshot: {
      meta: {
        index: 2 ** 40 - 1,
        term: 4,
        conf: { voters: [from, to, 9], learners: [10], votersOutgoing: [from, 11], learnersNext: [11], autoLeave: true },
      },
      data: allBytes.slice().reverse(),
    },
  };
}

/** A message whose single entry carries `bytes` of patterned payload. */
export function sized(from: NodeId, to: NodeId, marker: number, bytes: number): Message {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + (i >>> 8)) & 0xff;
  return { ...tagged(from, to, marker, 0), entries: [{ term: marker, index: 1, type: EntryType.Normal, data }] };
}

/**
 * The first difference between a received and a sent message, or `undefined` when they match.
 * Byte fields are compared by content (a transport may deliver a `Buffer` or a view), and
 * `snapshot` must be present exactly when it was sent.
 */
export function messageDifference(actual: Message, expected: Message): string | undefined {
  const scalars = ['type', 'from', 'to', 'term', 'logTerm', 'index', 'commit', 'reject', 'rejectHint'] as const;
  for (const field of scalars) {
    if (actual[field] !== expected[field]) return `${field} is ${String(actual[field])}, sent ${String(expected[field])}`;
  }
  if (!sameBytes(actual.context, expected.context)) return 'context bytes differ';
  if (actual.entries.length !== expected.entries.length) {
    return `${actual.entries.length} entries, sent ${expected.entries.length}`;
  }
  for (let i = 0; i < expected.entries.length; i++) {
    const difference = entryDifference(actual.entries[i] as Entry, expected.entries[i] as Entry);
    if (difference) return `entry ${i}: ${difference}`;
  }
  const sent = expected.snapshot;
  const got = actual.snapshot;
  if (!sent || !got) return sent === got ? undefined : `snapshot is ${got ? 'present' : 'absent'}, sent ${sent ? 'one' : 'none'}`;
  if (got.meta.index !== sent.meta.index || got.meta.term !== sent.meta.term) return 'snapshot index or term differs';
  for (const field of ['voters', 'learners', 'votersOutgoing', 'learnersNext'] as const) {
    const ids = got.meta.conf[field].join();
    if (ids !== sent.meta.conf[field].join()) return `snapshot ${field} are [${ids}], sent [${sent.meta.conf[field].join()}]`;
  }
  if (got.meta.conf.autoLeave !== sent.meta.conf.autoLeave) return 'snapshot autoLeave differs';
  return sameBytes(got.data, sent.data) ? undefined : 'snapshot data differs';
}

function entryDifference(actual: Entry, expected: Entry): string | undefined {
  if (actual.term !== expected.term || actual.index !== expected.index || actual.type !== expected.type) {
    return `(term ${actual.term}, index ${actual.index}, type ${actual.type}), sent (${expected.term}, ${expected.index}, ${expected.type})`;
  }
  return sameBytes(actual.data, expected.data) ? undefined : `data differs (${actual.data.length} bytes, sent ${expected.data.length})`;
}

/** Byte-for-byte equality, fast enough for multi-megabyte payloads. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
