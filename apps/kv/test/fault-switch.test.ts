import { MessageType, createMessage, seededRandom, type Message, type MessageHandler, type Transport } from '@raft/core';
import { describe, expect, it } from 'vitest';
import { FaultSwitch } from '../src/node/fault-switch.js';

/** Records what the switch lets through (the logic under test is the switch). */
class Recorder implements Transport {
  readonly sent: Message[] = [];
  handler: MessageHandler | undefined;
  start = async (handler: MessageHandler) => void (this.handler = handler);
  send = (message: Message) => (this.sent.push(message), true);
  close = async () => {};
}

const message = (from: number, to: number): Message => createMessage({ type: MessageType.Vote, from, to, term: 1 });

describe('FaultSwitch', () => {
  it('cuts blocked peers in both directions and heals with {}', async () => {
    const inner = new Recorder();
    const received: Message[] = [];
    const faults = new FaultSwitch(inner);
    await faults.start((m) => received.push(m));
    faults.set({ blocked: [2] });
    faults.send(message(1, 2));
    faults.send(message(1, 3));
    inner.handler!(message(2, 1));
    inner.handler!(message(3, 1));
    expect(inner.sent.map((m) => m.to)).toEqual([3]);
    expect(received.map((m) => m.from)).toEqual([3]);
    faults.set({});
    faults.send(message(1, 2));
    expect(inner.sent.map((m) => m.to)).toEqual([3, 2]);
  });

  it('loses about the given share of messages and duplicates about the given share', () => {
    const inner = new Recorder();
    const faults = new FaultSwitch(inner, seededRandom(3));
    faults.set({ drop: 0.25, duplicate: 0.1 });
    for (let i = 0; i < 4000; i++) faults.send(message(1, 2));
    // 4000 × 0.75 × 1.1 = 3300 expected.
    expect(inner.sent.length).toBeGreaterThan(3150);
    expect(inner.sent.length).toBeLessThan(3450);
  });

  it('delays messages (reordering them) and drops what is still held when closed', async () => {
    const inner = new Recorder();
    const faults = new FaultSwitch(inner, seededRandom(4));
    faults.set({ delayMs: 30 });
    const sent = Array.from({ length: 50 }, (_, i) => ({ ...message(1, 2), index: i }));
    for (const m of sent) expect(faults.send(m)).toBe(true);
    expect(inner.sent).toHaveLength(0);
    // Node fires timers in order of expiry: every hold (≤ 30 ms) ends before this 60 ms one.
    await new Promise((done) => setTimeout(done, 60));
    expect(inner.sent.map((m) => m.index).sort((a, b) => a - b)).toEqual(sent.map((m) => m.index));
    expect(inner.sent.map((m) => m.index)).not.toEqual(sent.map((m) => m.index));

    faults.send(message(1, 3));
    await faults.close();
    await new Promise((done) => setTimeout(done, 60));
    expect(inner.sent.filter((m) => m.to === 3)).toHaveLength(0);
  });
});
