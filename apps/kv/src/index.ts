/**
 * raft-kv as a library: the pieces other tools in this repository build on, such as the
 * conformance runner, which attacks a {@link LocalKvCluster} of raft-kv processes.
 *
 * @packageDocumentation
 */
export { LocalKvCluster, type LocalClusterOptions } from './local-cluster/local-cluster.js';
export type { KvStatus } from './kv/service.js';
export { MemoryKvCluster, type MemoryClusterOptions } from './local-cluster/memory-cluster.js';
export type { NetworkFaults } from './node/fault-switch.js';
export type { AdapterModule, TransportContext } from './node/adapters.js';
export { startDemo, type DemoOptions, type RunningDemo } from './demo/supervisor.js';
