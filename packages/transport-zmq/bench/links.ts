import { Dealer, Router } from 'zeromq';
import { encodeMessage } from '@raft/core/codec';
import { MessageType, type Message } from '@raft/core';
import { ZmqTransport } from '../src/index.js';
import { heartbeat, loopbackAddresses, peersOf } from '../test/fixtures.js';

/**
 * A sender and a receiver that acknowledges every message with a small reply, as a Raft follower
 * answers AppendEntries: the workload both the transport and the raw-zeromq reference run.
 */
export interface Link {
  /** Bytes one message takes on the wire (the encoded frame). */
  readonly frameBytes: number;
  /** Sends `count` messages with at most `window` unacknowledged; resolves once all are acknowledged. */
  run(count: number, window: number): Promise<void>;
  close(): Promise<void>;
}

const CLUSTER = 'bench';

/** Counts acknowledgements and wakes a waiting sender once half its window is back. */
class AckCounter {
  acked = 0;
  #wake: (() => void) | undefined;
  #threshold = 0;

  ack(): void {
    this.acked++;
    if (this.#wake !== undefined && this.acked >= this.#threshold) {
      const wake = this.#wake;
      this.#wake = undefined;
      wake();
    }
  }

  /** Resolves once `acked` reaches `threshold`. */
  async until(threshold: number): Promise<void> {
    if (this.acked >= threshold) return;
    this.#threshold = threshold;
    await new Promise<void>((resolve) => (this.#wake = resolve));
  }
}

/** The window loop both links share; `send` returns false when the message was not taken. */
async function windowed(
  acks: AckCounter,
  count: number,
  window: number,
  send: () => boolean | Promise<void>,
): Promise<void> {
  acks.acked = 0;
  let sent = 0;
  while (acks.acked < count) {
    while (sent < count && sent - acks.acked < window) {
      const taken = send();
      if (taken === false) break;
      if (taken !== true) await taken;
      sent++;
    }
    await acks.until(sent === count ? count : sent - window / 2);
  }
}

/** Node 1 sends `message` to node 2 over two {@link ZmqTransport}s; node 2 answers each with a heartbeat response. */
export async function transportLink(message: Message): Promise<Link> {
  const addresses = await loopbackAddresses([1, 2]);
  const open = (id: number) => new ZmqTransport({ id, clusterId: CLUSTER, listen: addresses.get(id)!, peers: peersOf(id, addresses) });
  const sender = open(1);
  const receiver = open(2);
  const acks = new AckCounter();
  const reply: Message = { ...heartbeat(2, 1, 0), type: MessageType.HeartbeatResp };
  await sender.start(() => acks.ack());
  await receiver.start(() => receiver.send(reply));
  return {
    frameBytes: encodeMessage(message, CLUSTER).length,
    run: (count, window) => windowed(acks, count, window, () => sender.send(message)),
    close: async () => {
      await Promise.all([sender.close(), receiver.close()]);
    },
  };
}

/**
 * The reference: a DEALER sends frames of `frameBytes` to a ROUTER, which answers each with a
 * `replyBytes` frame, with plain zeromq calls and no encoding.
 */
export async function rawLink(frameBytes: number, replyBytes: number): Promise<Link> {
  const router = new Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  const dealer = new Dealer({ linger: 0 });
  dealer.connect(router.lastEndpoint!);
  const frame = Buffer.alloc(frameBytes, 0x5a);
  const reply = Buffer.alloc(replyBytes, 0x01);
  const acks = new AckCounter();
  const echoing = (async () => {
    for await (const [peer] of router) await router.send([peer!, reply]);
  })();
  const counting = (async () => {
    for await (const _ of dealer) acks.ack();
  })();
  return {
    frameBytes,
    run: (count, window) => windowed(acks, count, window, () => dealer.send(frame)),
    close: async () => {
      dealer.close();
      router.close();
      // Closing ends both loops; a send cut short by the close is of no interest here.
      await Promise.allSettled([echoing, counting]);
    },
  };
}

/** Encoded size of the reply the transport link's receiver sends. */
export const REPLY_BYTES = encodeMessage({ ...heartbeat(2, 1, 0), type: MessageType.HeartbeatResp }, CLUSTER).length;
