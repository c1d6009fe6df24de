/**
 * `@raft/transport-nats`: a Raft transport over core NATS subjects that survives NATS server
 * failover. Test helpers that start nats-server processes are in `@raft/transport-nats/testing`.
 *
 * @packageDocumentation
 */
export { NatsTransport, type NatsTransportStats } from './nats-transport.js';
export type { NatsTransportLogger, NatsTransportOptions } from './options.js';
