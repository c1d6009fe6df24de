/**
 * `@raft/sim`: a deterministic simulator of Raft clusters. One seed drives the fault schedule, the
 * network, the clients and every node's randomness; after every step the Raft safety invariants
 * are checked, and once faults heal a leader and a commit must follow in bounded time.
 *
 * @packageDocumentation
 */
export { Simulation, SimulationFailure, simulate } from './simulation.js';
export type { SimulationOptions, SimulationSummary } from './simulation.js';
export { sweep } from './sweep.js';
export type { SweepOptions, SweepResult } from './sweep.js';
export { SimCluster } from './cluster.js';
export type { ClusterSettings } from './cluster.js';
export { SimNode } from './sim-node.js';
export { SimStorage } from './storage.js';
export type { LogView, PersistResult } from './storage.js';
export { SimNetwork, RELIABLE } from './network.js';
export type { NetworkRates, NetworkEvent, LossReason } from './network.js';
export { drawFaultProfile } from './fault-profile.js';
export type { FaultProfile } from './fault-profile.js';
export { checkLiveness, livenessBoundTicks } from './liveness.js';
export type { LivenessResult } from './liveness.js';
export { loadCore } from './core-api.js';
export type { RaftNode, RaftNodeConstructor, SimNodeStatus } from './core-api.js';
export type { SimEvent } from './events.js';
export { formatEvent, describeMessage } from './trace.js';
export { SimRandom, deriveSeed } from './prng.js';
export * from './invariants/index.js';
