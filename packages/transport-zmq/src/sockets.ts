import { Dealer, Router, type Context } from 'zeromq';
import type { NodeId } from '@raft/core';
import { maxBatchFrameBytes } from './batch-frame.js';
import type { ResolvedCurve } from './options.js';

/**
 * ZeroMQ messages (batches) per connection that libzmq buffers on the sending side. Raft needs no
 * deep socket buffers: the transport's own queue, bounded in bytes, absorbs bursts, and a shallow
 * socket buffer keeps libzmq's memory (outside the JS heap, counted in messages, not bytes) small.
 */
const SEND_HIGH_WATER_MARK = 16;

/**
 * No limit on the receiving side. libzmq 4.3.5 aborts the process (assertion `!_io_error` in
 * stream_engine_base.cpp) when a connection whose reading it paused for a full receive queue is
 * reset by the peer, and a ZMTP heartbeat is among the bytes it had read but not yet queued: once
 * the node reads again, the heartbeat's answer is sent on the dead connection. A node whose event
 * loop stalled (a long GC, a slow disk) while a peer was killed hit it in a conformance run; a
 * test reproduces it. A queue that never fills never pauses reading. What it can hold is bounded
 * by the senders: each peer's own queue and its Raft flow control (`maxInflight`).
 */
const RECEIVE_HIGH_WATER_MARK = 0;

/**
 * ZMTP heartbeats on the sending side: a connection whose peer vanished without closing it (host
 * down, cable cut) is dropped after a few seconds instead of the minutes TCP would take, and then
 * re-established. The receiving side sends none: it only receives, so a dead connection costs it
 * nothing, and the peer's next connection takes the routing id over (`handover`). Its heartbeats
 * would also meet the assertion above: their timer fires on paused connections too, which the
 * conformance runner's pause nemesis once hit on every resumed node.
 */
const HEARTBEAT = { heartbeatInterval: 1000, heartbeatTimeout: 3000, heartbeatTimeToLive: 3000 };

/** libzmq handles IPv6 only on sockets told to; a bracketed host is an IPv6 address. */
function isIpv6(address: string): boolean {
  return address.includes('[');
}

/** How a node's sockets behave towards the network. */
export interface SocketSettings {
  readonly maxMessageBytes: number;
  readonly reconnectIntervalMs: number;
  readonly reconnectMaxIntervalMs: number;
  readonly curve: ResolvedCurve | undefined;
  /** The context of the node's sockets; the default (global) context when undefined. */
  readonly context: Context | undefined;
}

/**
 * The socket a node receives on, to be bound to `listen`. `handover` lets a restarted peer take its connection over at once,
 * even before the old connection's death has been noticed (the routing id is the peer's node id).
 * With CURVE, each connecting client is authenticated by the ZAP handler of the settings' context
 * under `zapDomain`, and refused when no handler answers (`zapEnforceDomain`).
 */
export function createReceiver(listen: string, settings: SocketSettings, zapDomain: string | undefined): Router {
  return new Router({
    ...(settings.context && { context: settings.context }),
    ipv6: isIpv6(listen),
    linger: 0,
    handover: true,
    // A batch frame of messages within maxMessageBytes is never larger; a larger one is never allocated.
    maxMessageSize: maxBatchFrameBytes(settings.maxMessageBytes),
    receiveHighWaterMark: RECEIVE_HIGH_WATER_MARK,
    ...(settings.curve && { curveServer: true, curveSecretKey: settings.curve.secretKey }),
    ...(zapDomain !== undefined && { zapDomain, zapEnforceDomain: true }),
  });
}

/**
 * The socket a node sends to one peer on, connected to `address`. `immediate` keeps messages out
 * of libzmq while the peer is unreachable, so the transport's bounded queue is the only buffer, and
 * `linger: 0` lets close() return at once whatever is still unsent.
 */
export function createSender(ownId: NodeId, address: string, settings: SocketSettings, peerKey: string | undefined): Dealer {
  const dealer = new Dealer({
    ...(settings.context && { context: settings.context }),
    routingId: String(ownId),
    ipv6: isIpv6(address),
    linger: 0,
    immediate: true,
    sendHighWaterMark: SEND_HIGH_WATER_MARK,
    reconnectInterval: settings.reconnectIntervalMs,
    reconnectMaxInterval: settings.reconnectMaxIntervalMs,
    connectTimeout: 2 * settings.reconnectMaxIntervalMs,
    ...HEARTBEAT,
    // The handshake fails unless the peer holds the secret key matching `peerKey`.
    ...(settings.curve && peerKey !== undefined && {
      curveServerKey: peerKey,
      curvePublicKey: settings.curve.publicKey,
      curveSecretKey: settings.curve.secretKey,
    }),
  });
  dealer.connect(address);
  return dealer;
}
