import type { NodeId, Role } from '@raft/core';
import type { RaftNode } from './core-api.js';
import { SimStorage } from './storage.js';

/**
 * One member of the simulated cluster: its disk, which survives crashes, and its running RawNode,
 * which does not. The cached role, term and leader are the node's status after its last input.
 */
export class SimNode {
  readonly storage = new SimStorage();
  /** The running node; `undefined` while crashed. */
  raft: RaftNode | undefined;
  /** How many times the node has been started. */
  incarnation = 0;
  role: Role | undefined;
  term = 0;
  leader: NodeId = 0;
  /** Highest index applied by the current incarnation. */
  applied = 0;
  /** The node has a Ready waiting to be handled. */
  dirty = false;

  constructor(readonly id: NodeId) {}

  get up(): boolean {
    return this.raft !== undefined;
  }

  /** The running node. @throws Error if the node is down (a simulator bug). */
  get running(): RaftNode {
    if (this.raft === undefined) throw new Error(`n${this.id} is down; the simulator must not drive a crashed node`);
    return this.raft;
  }
}
