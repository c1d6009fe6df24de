import { MessageType, RawNode, seededRandom, type ConfState, type Message, type Ready } from '@raft/core';

const VOTERS: ConfState = { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
/** Compact a node's log whenever this many applied entries have piled up in memory. */
const COMPACT_EVERY = 16_384;
/** Entries kept behind the applied index at a compaction, so followers never need a snapshot. */
const COMPACT_KEEP = 1_024;

/**
 * Three RawNodes in one process with no I/O: messages are handed straight to their recipient,
 * and "persisting" a Ready is advancing it at once. What remains is the protocol's own cost.
 */
export class InProcessCluster {
  readonly #nodes: RawNode[];
  readonly #onCommit: (count: number) => void;
  #inbox: Message[] = [];
  #compacted = [0, 0, 0];

  /** @param onCommit - called with the number of commands the leader saw committed in a Ready. */
  constructor(onCommit: (count: number) => void) {
    this.#onCommit = onCommit;
    const persisted = { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] };
    this.#nodes = [1, 2, 3].map(
      (id) => new RawNode({ id, electionTicks: 10, heartbeatTicks: 1, random: seededRandom(id) }, persisted, VOTERS),
    );
    this.leader.campaign();
    this.pump();
    if (this.leader.status().role !== 'leader') throw new Error('bench: node 1 did not become leader');
  }

  get leader(): RawNode {
    return this.#nodes[0]!;
  }

  /** Handles Readies and delivers messages until every node is idle. */
  pump(): void {
    let busy = true;
    while (busy) {
      busy = false;
      for (let i = 0; i < 3; i++) {
        const node = this.#nodes[i]!;
        if (!node.hasReady()) continue;
        busy = true;
        this.#handle(i, node, node.ready());
      }
      const inbox = this.#inbox;
      this.#inbox = [];
      for (const m of inbox) {
        if (m.type === MessageType.Snap) throw new Error('bench: a follower fell behind a compaction');
        this.#nodes[m.to - 1]!.step(m);
      }
    }
  }

  #handle(i: number, node: RawNode, ready: Ready): void {
    for (const m of ready.messages) this.#inbox.push(m);
    const committed = ready.committedEntries;
    node.advance(ready);
    if (committed.length === 0) return;
    if (i === 0) {
      let commands = 0;
      for (const e of committed) if (e.data.byteLength > 0) commands++;
      this.#onCommit(commands);
    }
    const last = committed[committed.length - 1]!;
    if (last.index - this.#compacted[i]! >= COMPACT_EVERY) {
      // The whole run is one term, so the entry kept at the boundary has the last entry's term.
      const index = last.index - COMPACT_KEEP;
      node.compact({ index, term: last.term, conf: VOTERS });
      this.#compacted[i] = index;
    }
  }
}
