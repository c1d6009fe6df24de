import { describe, expect, it } from 'vitest';
import { seededRandom, type Entry, type HardState, type SnapshotMeta } from '@raft/core';
import { expectEntries } from './expect-entries.js';
import { collect, inChunks, sameBytes, testEntries, testSnapshotData, testSnapshotMeta } from './fixtures.js';
import type { Opened, Workspace } from './workspace.js';

/** What a storage should hold: the reference the adapter is compared with after every step. */
interface Model {
  snapshot: SnapshotMeta | undefined;
  snapshotSize: number;
  /** Entries after the snapshot. */
  entries: Entry[];
  hardState: HardState;
}

const snapshotIndex = (m: Model): number => m.snapshot?.index ?? 0;
const lastIndex = (m: Model): number => m.entries.at(-1)?.index ?? snapshotIndex(m);
const termAt = (m: Model, index: number): number =>
  index === snapshotIndex(m) ? (m.snapshot?.term ?? 0) : m.entries[index - snapshotIndex(m) - 1]!.term;

/** Checks every read the contract offers against the model. */
async function expectMatches(s: Opened, m: Model): Promise<void> {
  const first = snapshotIndex(m) + 1;
  const last = lastIndex(m);
  expect(await s.storage.firstIndex()).toBe(first);
  expect(await s.storage.lastIndex()).toBe(last);
  expectEntries(await s.storage.entries(first, last + 1), m.entries);
  for (let i = first - 1; i <= last; i++) expect(await s.storage.term(i), `term(${i})`).toBe(termAt(m, i));
  const stored = await s.storage.readSnapshot();
  expect(stored?.meta).toEqual(m.snapshot);
  if (stored && m.snapshot) {
    const data = testSnapshotData(m.snapshot.index, m.snapshot.term, m.snapshotSize);
    expect(sameBytes(await collect(stored.read()), data), 'snapshot data').toBe(true);
  }
}

/**
 * A seeded random walk through appends, overwrites, hard states, snapshots, installs and
 * compactions, compared with a model after every step (and after every reopen when durable).
 */
export function modelCases(workspace: () => Workspace, durable: boolean): void {
  describe('random operation sequences against a model', () => {
    for (const seed of [1, 2, 3]) {
      it(`seed ${seed}`, async () => {
        const random = seededRandom(seed);
        const pick = (n: number): number => Math.floor(random() * n);
        let s = await workspace().fresh();
        const m: Model = { snapshot: undefined, snapshotSize: 0, entries: [], hardState: s.state.hardState };
        let term = 1;
        for (let step = 0; step < 120; step++) {
          const op = pick(100);
          const last = lastIndex(m);
          if (op < 45 || last === snapshotIndex(m)) {
            const add = testEntries(last + 1, last + 1 + pick(20), term);
            await s.storage.save({ entries: add });
            m.entries.push(...add);
          } else if (op < 60) {
            term += 1;
            const from = snapshotIndex(m) + 1 + pick(last - snapshotIndex(m));
            const add = testEntries(from, from + pick(5), term);
            await s.storage.save({ entries: add });
            m.entries = [...m.entries.filter((e) => e.index < from), ...add];
          } else if (op < 72) {
            m.hardState = { term, vote: 1 + pick(3), commit: pick(last + 1) };
            await s.storage.save({ hardState: m.hardState });
          } else if (op < 84) {
            const index = snapshotIndex(m) + 1 + pick(last - snapshotIndex(m));
            const meta = testSnapshotMeta(index, termAt(m, index));
            m.snapshotSize = pick(200_000);
            await s.storage.saveSnapshot(meta, inChunks(testSnapshotData(index, meta.term, m.snapshotSize), 8192));
            if (random() < 0.7) await s.storage.compact(Math.max(0, index - pick(3)));
            m.snapshot = meta;
            m.entries = m.entries.filter((e) => e.index > index);
          } else if (op < 90) {
            term += 1;
            const meta = testSnapshotMeta(last + pick(5), term);
            m.snapshotSize = pick(100_000);
            await s.storage.installSnapshot(meta, inChunks(testSnapshotData(meta.index, term, m.snapshotSize), 5000));
            m.snapshot = meta;
            m.entries = [];
          } else if (durable) {
            s = await workspace().reopen(s);
            expect(s.state.hardState).toEqual(m.hardState);
            expect(s.state.snapshot).toEqual(m.snapshot);
            expectEntries(s.state.entries, m.entries);
          }
          await expectMatches(s, m);
        }
      });
    }
  });
}
