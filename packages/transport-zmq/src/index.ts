/**
 * `@raft/transport-zmq`: a Raft transport over ZeroMQ on TCP (a ROUTER socket to receive, one
 * DEALER socket per peer to send), with bounded per-peer queues. The project's embedded default
 * transport: no broker, only the nodes' own addresses.
 *
 * @packageDocumentation
 */
export { ZmqTransport, type ZmqTransportStats } from './zmq-transport.js';
export type { ZmqCurveOptions, ZmqPeers, ZmqTransportLogger, ZmqTransportOptions } from './options.js';
