import { seededRandom } from '@raft/core';
import { describe, expect, it } from 'vitest';
import { partition, PARTITION_PATTERNS } from '../../src/nemesis/partitions.js';

const five = [1, 2, 3, 4, 5];
const reachable = (blocked: ReadonlyMap<number, readonly number[]>, id: number) => five.filter((o) => o !== id && !blocked.get(id)!.includes(o));

describe('partitions', () => {
  it.each(PARTITION_PATTERNS)('%s cuts links in both directions and never a node from itself', (pattern) => {
    for (let seed = 0; seed < 50; seed++) {
      const { blocked } = partition(pattern, five, seededRandom(seed), 3);
      for (const [id, cut] of blocked) {
        expect(cut).not.toContain(id);
        for (const other of cut) expect(blocked.get(other)).toContain(id);
      }
    }
  });

  it('halves leaves exactly one side with a majority', () => {
    const { blocked } = partition('halves', five, seededRandom(1));
    const sides = five.map((id) => reachable(blocked, id).length + 1).sort();
    expect(sides).toEqual([2, 2, 3, 3, 3]);
  });

  it('isolate-leader cuts the leader off from everyone and nobody else', () => {
    const { blocked, description } = partition('isolate-leader', five, seededRandom(2), 4);
    expect(blocked.get(4)).toEqual([1, 2, 3, 5]);
    for (const id of [1, 2, 3, 5]) expect(blocked.get(id)).toEqual([4]);
    expect(description).toBe('4 | 1,2,3,5');
  });

  it('bridge: one node sees everyone, the two sides see only it besides themselves, each side plus the bridge is a majority', () => {
    const { blocked } = partition('bridge', five, seededRandom(3));
    const bridge = five.find((id) => blocked.get(id)!.length === 0)!;
    expect(bridge).toBeDefined();
    for (const id of five.filter((i) => i !== bridge)) {
      expect(reachable(blocked, id)).toContain(bridge);
      expect(reachable(blocked, id).length + 1).toBe(3);
    }
  });

  it('ring: with five nodes every node sees exactly its two neighbours (a majority, never the same one)', () => {
    const { blocked } = partition('ring', five, seededRandom(4));
    const views = five.map((id) => [id, ...reachable(blocked, id)].sort().join(','));
    for (const id of five) expect(reachable(blocked, id)).toHaveLength(2);
    expect(new Set(views).size).toBe(5);
  });

  it('ring falls back to halves with three nodes, where a ring would cut nothing', () => {
    expect(partition('ring', [1, 2, 3], seededRandom(5)).pattern).toBe('halves');
  });
});
