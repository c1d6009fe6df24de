import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, decodeConfChange, decodeMessage, encodeConfChange, encodeMessage } from '../src/codec/index.js';
import { createMessage } from '../src/index.js';
import {
  ConfChangeTransition,
  ConfChangeType,
  EMPTY,
  EntryType,
  MessageType,
  type ConfChange,
  type Entry,
  type Message,
  type Snapshot,
} from '../src/types.js';
import { arbitraryConfChange, arbitraryMessage } from './codec-arbitraries.js';

const CLUSTER = 'test-cluster';
const bytes = (...values: number[]) => Uint8Array.from(values);
const roundTrip = (m: Message) => decodeMessage(encodeMessage(m, CLUSTER), CLUSTER);

const entry = (index: number, data: Uint8Array = bytes(index, 0xff, 0), type: EntryType = EntryType.Normal): Entry => ({
  term: 3,
  index,
  type,
  data,
});
const snapshot: Snapshot = {
  meta: {
    index: 2 ** 40,
    term: 7,
    conf: { voters: [1, 2, 3], learners: [4], votersOutgoing: [1, 2, 5], learnersNext: [5], autoLeave: true },
  },
  data: bytes(1, 2, 3, 0, 255),
};

/** Runs `decode` and returns the error it throws, failing the test when it returns normally. */
function decodeError(decode: () => unknown): Error {
  try {
    decode();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the decoder to throw');
}

describe('message codec: round trips', () => {
  it('round-trips every message type with every field set', () => {
    for (const type of Object.values(MessageType)) {
      const original = createMessage({
        type,
        from: 1,
        to: 2 ** 31 + 5,
        term: 9,
        logTerm: 8,
        index: 2 ** 53 - 1,
        commit: 127,
        reject: true,
        rejectHint: 128,
        context: bytes(0x54, 0x52),
        entries: [entry(1), entry(2, EMPTY), entry(3, encodeConfChange({ transition: 0, changes: [], context: EMPTY }), EntryType.ConfChange)],
        snapshot,
        chunk: { offset: 2 ** 53 - 2, done: true },
      });
      expect(roundTrip(original)).toStrictEqual(original);
    }
  });

  it('leaves snapshot absent when the message has none', () => {
    const decoded = roundTrip(createMessage({ type: MessageType.Heartbeat, from: 1, to: 2, term: 1 }));
    expect('snapshot' in decoded).toBe(false);
    expect('chunk' in decoded).toBe(false);
  });

  it('round-trips the pieces of a snapshot sent in chunks and their acknowledgements', () => {
    const piece = createMessage({ type: MessageType.Snap, from: 1, to: 2, term: 4, snapshot, chunk: { offset: 2 ** 40 + 3, done: true } });
    expect(roundTrip(piece)).toStrictEqual(piece);
    const ack = createMessage({ type: MessageType.SnapResp, from: 2, to: 1, term: 4, index: 9, logTerm: 3, reject: true, chunk: { offset: 0, done: false } });
    expect(roundTrip(ack)).toStrictEqual(ack);
    expect('chunk' in roundTrip(createMessage({ type: MessageType.Snap, from: 1, to: 2, term: 4, snapshot }))).toBe(false);
  });

  it('adds the chunk section only when a message has one, so other frames keep their layout', () => {
    const plain = createMessage({ type: MessageType.Snap, from: 1, to: 2, term: 4, snapshot });
    const withChunk = encodeMessage({ ...plain, chunk: { offset: 300, done: false } }, CLUSTER);
    expect(withChunk.length).toBe(encodeMessage(plain, CLUSTER).length + 3);
  });

  it('round-trips arbitrary messages exactly', () => {
    fc.assert(
      fc.property(arbitraryMessage, fc.string(), (original, clusterId) => {
        expect(decodeMessage(encodeMessage(original, clusterId), clusterId)).toStrictEqual(original);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps small messages small (varints)', () => {
    const frame = encodeMessage(createMessage({ type: MessageType.Heartbeat, from: 1, to: 2, term: 1 }), 'c');
    expect(frame.length).toBeLessThanOrEqual(20);
  });
});

describe('message codec: rejects bad frames with a CodecError', () => {
  const valid = encodeMessage(
    createMessage({ type: MessageType.Snap, from: 1, to: 2, term: 300, entries: [entry(1), entry(2)], snapshot, context: bytes(9) }),
    CLUSTER,
  );

  it('names both clusters when a frame comes from another cluster', () => {
    const frame = encodeMessage(createMessage({ type: MessageType.Vote, from: 1, to: 2, term: 1 }), 'x');
    const error = decodeError(() => decodeMessage(frame, 'y'));
    expect(error).toBeInstanceOf(CodecError);
    expect(error.message).toContain("frame is from cluster 'x', this node is in cluster 'y'");
  });

  it('rejects every truncation of a valid frame', () => {
    for (let length = 0; length < valid.length; length++) {
      expect(() => decodeMessage(valid.subarray(0, length), CLUSTER), `truncated to ${length}`).toThrow(CodecError);
    }
  });

  it('rejects trailing bytes', () => {
    const longer = new Uint8Array(valid.length + 1);
    longer.set(valid);
    expect(() => decodeMessage(longer, CLUSTER)).toThrow(/1 trailing bytes/);
  });

  it('rejects a bad magic, an unknown version and an unknown message type', () => {
    const corrupt = (offset: number, value: number) => {
      const copy = valid.slice();
      copy[offset] = value;
      return copy;
    };
    expect(() => decodeMessage(corrupt(0, 0), CLUSTER)).toThrow(/bad magic/);
    expect(() => decodeMessage(corrupt(2, 99), CLUSTER)).toThrow(/version 99 is not supported/);
    const typeOffset = 3 + 1 + CLUSTER.length;
    expect(() => decodeMessage(corrupt(typeOffset, 200), CLUSTER)).toThrow(/unknown message type 200/);
  });

  it('rejects a chunk whose done flag is not 0 or 1', () => {
    const frame = encodeMessage(createMessage({ type: MessageType.SnapResp, from: 1, to: 2, term: 1, chunk: { offset: 5, done: true } }), CLUSTER);
    const copy = frame.slice();
    copy[copy.length - 1] = 2;
    expect(() => decodeMessage(copy, CLUSTER)).toThrow(/chunk done .* is 2, expected 0 or 1/);
  });

  it('rejects a length that runs past the end without allocating it', () => {
    const frame = encodeMessage(createMessage({ type: MessageType.ReadIndex, from: 1, to: 2, term: 1, context: bytes(1, 2, 3) }), CLUSTER);
    const contextLengthOffset = frame.length - 1 - 3 - 1;
    const copy = frame.slice();
    copy[contextLengthOffset] = 100;
    expect(() => decodeMessage(copy, CLUSTER)).toThrow(/context length 100 .* runs past the end/);
  });

  it('throws nothing but CodecError whatever bytes are flipped, appended or made up', () => {
    fc.assert(
      fc.property(
        arbitraryMessage,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (original, flips) => {
          const frame = encodeMessage(original, CLUSTER);
          for (const [at, value] of flips) frame[at % frame.length] = value;
          expectOnlyCodecError(() => decodeMessage(frame, CLUSTER));
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (garbage) => {
        const prefixed = new Uint8Array(garbage.length + 3 + 1 + CLUSTER.length);
        prefixed.set(encodeMessage(createMessage({ type: 1, from: 1, to: 1, term: 1 }), CLUSTER).subarray(0, 4 + CLUSTER.length));
        prefixed.set(garbage, 4 + CLUSTER.length);
        expectOnlyCodecError(() => decodeMessage(garbage, CLUSTER));
        expectOnlyCodecError(() => decodeMessage(prefixed, CLUSTER));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to encode fields that are not non-negative safe integers', () => {
    expect(() => encodeMessage(createMessage({ type: MessageType.App, from: 1, to: 2, term: -1 }), CLUSTER)).toThrow(
      /term = -1: it must be a non-negative safe integer/,
    );
    expect(() => encodeMessage(createMessage({ type: MessageType.App, from: 1, to: 2, term: 2 ** 53 }), CLUSTER)).toThrow(CodecError);
    expect(() => encodeMessage(createMessage({ type: MessageType.App, from: 1.5, to: 2, term: 1 }), CLUSTER)).toThrow(CodecError);
  });
});

describe('conf change codec', () => {
  it('round-trips a joint change with context', () => {
    const cc: ConfChange = {
      transition: ConfChangeTransition.JointExplicit,
      changes: [
        { type: ConfChangeType.AddVoter, node: 4 },
        { type: ConfChangeType.RemoveNode, node: 1 },
        { type: ConfChangeType.AddLearner, node: 2 ** 40 },
      ],
      context: new TextEncoder().encode('10.0.0.4:7000'),
    };
    expect(decodeConfChange(encodeConfChange(cc))).toStrictEqual(cc);
  });

  it('round-trips arbitrary conf changes', () => {
    fc.assert(
      fc.property(arbitraryConfChange, (cc) => {
        expect(decodeConfChange(encodeConfChange(cc))).toStrictEqual(cc);
      }),
    );
  });

  it('rejects every truncation and any corruption with a CodecError only', () => {
    const valid = encodeConfChange({ transition: 0, changes: [{ type: 0, node: 300 }], context: bytes(1, 2) });
    for (let length = 0; length < valid.length; length++) {
      expect(() => decodeConfChange(valid.subarray(0, length))).toThrow(CodecError);
    }
    fc.assert(
      fc.property(arbitraryConfChange, fc.nat(), fc.integer({ min: 0, max: 255 }), (cc, at, value) => {
        const encoded = encodeConfChange(cc);
        encoded[at % encoded.length] = value;
        expectOnlyCodecError(() => decodeConfChange(encoded));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Decoding may succeed (a flip can yield another valid value) but may only fail with CodecError. */
function expectOnlyCodecError(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
  }
}
