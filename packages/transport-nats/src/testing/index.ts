/**
 * `@raft/transport-nats/testing`: nats-server processes for tests and benchmarks (one server or a
 * routed cluster on free loopback ports, kill and restart, nothing left running at exit).
 *
 * @packageDocumentation
 */
export { NatsServer, type NatsServerOptions, type NatsServerPorts } from './nats-server.js';
export { NatsCluster, type NatsClusterOptions } from './nats-cluster.js';
export { findNatsServerBinary, NATS_SERVER_BIN_ENV } from './binary.js';
export { runningChildCount as runningNatsServerCount } from './child-registry.js';
export { WaitAborted, waitUntil, type WaitOptions } from './wait-until.js';
