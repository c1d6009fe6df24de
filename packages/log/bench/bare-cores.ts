/**
 * The reference the runtime is measured against in the same run: three `RawNode`s driven by a tight
 * synchronous loop, with messages handed over in memory and nothing persisted — the most the core
 * can commit on this machine, with the same batch size the runtime sees. The ratio runtime ÷
 * reference is what the runtime costs (timers, promises, storage and transport adapters, RxJS).
 */
import { RawNode, Role, seededRandom, type Message, type NodeId } from '@raft/core';

export function measureBareCores(seconds: number, batch: number, commandBytes: number): number {
  const ids = [1, 2, 3];
  const conf = { voters: ids, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false };
  const empty = { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] };
  const nodes = new Map<NodeId, RawNode>(
    ids.map((id) => [
      id,
      new RawNode({ id, electionTicks: 10, heartbeatTicks: 1, random: seededRandom(id) }, empty, conf),
    ]),
  );
  const inbox: Message[] = [];
  /** Entries committed on the leader, as the runtime bench counts them. */
  let committed = 0;

  const turn = (): void => {
    for (const message of inbox.splice(0)) nodes.get(message.to)?.step(message);
    for (const node of nodes.values()) {
      while (node.hasReady()) {
        const ready = node.ready();
        inbox.push(...ready.messages);
        if (node === leader) committed += ready.committedEntries.length;
        node.advance(ready);
      }
    }
  };

  const leader = nodes.get(1) as RawNode;
  leader.campaign();
  for (let i = 0; i < 100 && leader.status().role !== Role.Leader; i++) turn();
  if (leader.status().role !== Role.Leader) throw new Error('bare-core reference: node 1 did not become leader');

  const command = new Uint8Array(commandBytes);
  const start = performance.now();
  const end = start + seconds * 1000;
  const startCommitted = committed;
  while (performance.now() < end) {
    for (let i = 0; i < batch; i++) leader.propose(command);
    // Run to quiescence: the batch is committed and applied everywhere before the next one.
    do turn();
    while (inbox.length > 0);
  }
  return (committed - startCommitted) / ((performance.now() - start) / 1000);
}
