import type { Link } from './links.js';

/** One-way throughput over a link. */
export interface Throughput {
  readonly messagesPerSecond: number;
  readonly megabytesPerSecond: number;
}

/** Round-trip latency over a link, in microseconds. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

const BATCH = 256;

/**
 * Sends `count` messages A→B as fast as the link accepts them (retrying refused sends after
 * letting output drain) and times until B has received them all. Core NATS may drop under
 * overload, so the clock stops at the last delivery and only delivered messages count.
 */
export async function measureThroughput(link: Link, count: number): Promise<Throughput> {
  let received = 0;
  let lastDelivery = 0;
  link.onForward = () => {
    received++;
    lastDelivery = performance.now();
  };
  const start = performance.now();
  for (let sent = 0; sent < count; sent++) {
    while (!link.forward()) await link.settle();
    if (sent % BATCH === BATCH - 1) await link.settle();
  }
  await link.settle();
  // Wait for the stragglers; give up once nothing has arrived for a while (some were dropped).
  let idleSince = performance.now();
  while (received < count) {
    const before = received;
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (received !== before) idleSince = performance.now();
    else if (performance.now() - idleSince > 1_000) break;
  }
  const seconds = (lastDelivery - start) / 1_000;
  return {
    messagesPerSecond: received / seconds,
    megabytesPerSecond: (received * link.frameBytes) / seconds / 1e6,
  };
}

/** Sends one message A→B, B answers, `count` times in sequence, and reports the round trips. */
export async function measureLatency(link: Link, count: number): Promise<Latency> {
  const samples: number[] = [];
  let answered: () => void = () => {};
  link.onForward = () => link.back();
  link.onBack = () => answered();
  for (let round = 0; round < count; round++) {
    const answer = new Promise<void>((resolve) => (answered = resolve));
    const start = performance.now();
    while (!link.forward()) await link.settle();
    await answer;
    samples.push((performance.now() - start) * 1_000);
  }
  samples.sort((x, y) => x - y);
  const at = (fraction: number): number => samples[Math.min(samples.length - 1, Math.floor(fraction * samples.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
