/**
 * `@raft/transport-memory`: an in-process Raft network for tests and simulations, with fault
 * injection (drop, duplicate, delay, reorder, partition, isolate, one-way cuts), and
 * {@link withFaults} to apply the same faults to any other transport.
 *
 * @packageDocumentation
 */
export { MemoryNetwork, type MemoryNetworkOptions } from './memory-network.js';
export { NetworkFaults, NO_FAULTS, type FaultSettings, type MessageFate, type NetworkFaultsOptions } from './faults.js';
export type { LinkStats } from './link-stats.js';
export { withFaults, type WithFaultsOptions } from './with-faults.js';
