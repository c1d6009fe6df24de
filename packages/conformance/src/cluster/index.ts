/**
 * `@raft/conformance/cluster`: real Raft nodes as OS processes over any transport × storage, for
 * tests that kill processes and restart them from their data.
 *
 * @module
 */
export { ProcessCluster, NodeRequestError, type ProcessClusterOptions } from './process-cluster.js';
export type { ClusterAdapters } from './adapters.js';
export { checkLeaderFailover, type LeaderFailover, type LeaderFailoverOptions } from './leader-failover.js';
export type { NodeProcessStatus } from './protocol.js';
