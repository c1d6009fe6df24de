/** The shapes of network partition the partition nemesis picks from. */
export const PARTITION_PATTERNS = ['halves', 'isolate-leader', 'bridge', 'ring'] as const;
/** @see {@link PARTITION_PATTERNS} */
export type PartitionPattern = (typeof PARTITION_PATTERNS)[number];

/** A partition: for each node, the nodes it cannot exchange messages with (symmetric). */
export interface Partition {
  readonly pattern: PartitionPattern;
  /** For each node id, the ids it is cut off from. */
  readonly blocked: ReadonlyMap<number, readonly number[]>;
  /** In words, e.g. `1,2 | 3,4,5` or `ring 1-3-5-2-4`. */
  readonly description: string;
}

/**
 * Builds a partition of `ids` (Jepsen's usual shapes):
 * - `halves`: a random minority and majority that cannot talk to each other;
 * - `isolate-leader`: the leader (a random node if none is known) alone against the rest;
 * - `bridge`: two halves that cannot talk, and one node that talks to both (each side plus the
 *   bridge is a majority with five nodes: two leaders would be possible in a broken Raft);
 * - `ring`: each node talks only to its two neighbours on a random ring (with five nodes, every
 *   node sees a majority, but no two see the same one). With fewer than five nodes a ring cuts
 *   nothing, so it falls back to `halves`.
 */
export function partition(pattern: PartitionPattern, ids: readonly number[], random: () => number, leader?: number): Partition {
  const shuffled = shuffle(ids, random);
  switch (pattern) {
    case 'halves': {
      const minority = shuffled.slice(0, Math.floor(ids.length / 2));
      const majority = shuffled.slice(minority.length);
      return fromGroups(pattern, ids, [minority, majority], `${minority.join(',')} | ${majority.join(',')}`);
    }
    case 'isolate-leader': {
      const alone = leader !== undefined && ids.includes(leader) ? leader : shuffled[0]!;
      const rest = ids.filter((id) => id !== alone);
      return fromGroups(pattern, ids, [[alone], rest], `${alone} | ${rest.join(',')}`);
    }
    case 'bridge': {
      const side = Math.floor((ids.length - 1) / 2);
      const left = shuffled.slice(0, side);
      const bridge = shuffled[side]!;
      const right = shuffled.slice(side + 1);
      return fromGroups(pattern, ids, [[...left, bridge], [bridge, ...right]], `${left.join(',')} | ${bridge} | ${right.join(',')} (${bridge} bridges)`);
    }
    case 'ring': {
      if (ids.length < 5) return partition('halves', ids, random, leader);
      const neighbours = shuffled.map((id, i) => [id, shuffled[(i + 1) % shuffled.length]!, shuffled[(i + shuffled.length - 1) % shuffled.length]!]);
      const blocked = new Map(neighbours.map(([id, next, previous]) => [id!, ids.filter((other) => other !== id && other !== next && other !== previous)]));
      return { pattern, blocked, description: `ring ${shuffled.join('-')}` };
    }
  }
}

/** Nodes in the same group can talk; a node in several groups talks to all of them. */
function fromGroups(pattern: PartitionPattern, ids: readonly number[], groups: readonly (readonly number[])[], description: string): Partition {
  const blocked = new Map(
    ids.map((id) => {
      const reachable = new Set(groups.filter((g) => g.includes(id)).flat());
      return [id, ids.filter((other) => other !== id && !reachable.has(other))];
    }),
  );
  return { pattern, blocked, description };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
