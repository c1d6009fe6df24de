import fc from 'fast-check';
import { EntryType, MessageType, type ConfChange, type Entry, type Message, type Snapshot, type SnapshotChunk } from '../src/types.js';

/** fast-check builds null-prototype records by default; decoded values are plain objects. */
const plain = { noNullPrototype: true } as const;
const data = fc.uint8Array({ maxLength: 40 });
const uint = fc.oneof(fc.nat(300), fc.maxSafeNat());
const ids = fc.array(uint, { maxLength: 5 });

const arbitraryEntry: fc.Arbitrary<Entry> = fc.record(
  { term: uint, index: uint, type: fc.constantFrom(...Object.values(EntryType)), data },
  plain,
);

const arbitrarySnapshot: fc.Arbitrary<Snapshot> = fc.record(
  {
    meta: fc.record(
      {
        index: uint,
        term: uint,
        conf: fc.record(
          { voters: ids, learners: ids, votersOutgoing: ids, learnersNext: ids, autoLeave: fc.boolean() },
          plain,
        ),
      },
      plain,
    ),
    data,
  },
  plain,
);

const arbitraryChunk: fc.Arbitrary<SnapshotChunk> = fc.record({ offset: uint, done: fc.boolean() }, plain);

/**
 * Any message the codec must carry, with `snapshot` and `chunk` each present or absent (never
 * `undefined`).
 */
export const arbitraryMessage: fc.Arbitrary<Message> = fc
  .tuple(
    fc.record(
      {
        type: fc.constantFrom(...Object.values(MessageType)),
        from: uint,
        to: uint,
        term: uint,
        logTerm: uint,
        index: uint,
        entries: fc.array(arbitraryEntry, { maxLength: 4 }),
        commit: uint,
        reject: fc.boolean(),
        rejectHint: uint,
        context: data,
      },
      plain,
    ),
    fc.option(arbitrarySnapshot, { nil: undefined }),
    fc.option(arbitraryChunk, { nil: undefined }),
  )
  .map(([fields, snapshot, chunk]) => {
    const message: Message = snapshot ? { ...fields, snapshot } : fields;
    return chunk ? { ...message, chunk } : message;
  });

/** Any membership change. */
export const arbitraryConfChange: fc.Arbitrary<ConfChange> = fc.record(
  {
    transition: fc.constantFrom(0, 1, 2),
    changes: fc.array(fc.record({ type: fc.constantFrom(0, 1, 2), node: uint }, plain), { maxLength: 5 }),
    context: data,
  },
  plain,
);
