/**
 * `pnpm bench`: throughput of two ZmqTransports on loopback next to raw zeromq (a DEALER sending to
 * a ROUTER that answers each frame), measured in the same run with the same workload: the sender
 * keeps a window of unacknowledged messages, the receiver acknowledges each one, as Raft followers do.
 *
 * On a shared machine absolute numbers drift from one second to the next, so transport and raw
 * are measured alternately, several rounds each, and the ratio reported is the median of the
 * per-round ratios.
 */
import type { Message } from '@raft/core';
import { appendEntries, heartbeat } from '../test/fixtures.js';
import { rawLink, REPLY_BYTES, transportLink, type Link } from './links.js';

const cases: { label: string; message: Message; count: number }[] = [
  { label: 'heartbeat', message: heartbeat(1, 2, 42), count: 100_000 },
  { label: '64 KiB of entries (16 × 4 KiB)', message: appendEntries(1, 2, 16, 4096), count: 5_000 },
];

/** Messages in flight without an acknowledgement. */
const WINDOW = 256;
const ROUNDS = 3;

interface Throughput {
  readonly messagesPerSecond: number;
  readonly megabytesPerSecond: number;
}

async function measure(open: () => Promise<Link>, count: number, window = WINDOW): Promise<Throughput> {
  const link = await open();
  try {
    // A warm-up, so that connecting, the JIT and socket buffers are not part of the measurement.
    await link.run(Math.ceil(count / 10), window);
    const start = performance.now();
    await link.run(count, window);
    const seconds = (performance.now() - start) / 1000;
    return { messagesPerSecond: count / seconds, megabytesPerSecond: (count * link.frameBytes) / seconds / 1e6 };
  } finally {
    await link.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function row(name: string, { messagesPerSecond, megabytesPerSecond }: Throughput): string {
  return `  ${name.padEnd(10)} ${messagesPerSecond.toFixed(0).padStart(9)} msg/s ${megabytesPerSecond.toFixed(1).padStart(8)} MB/s`;
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;

console.log(`node ${process.version}; window ${WINDOW}; ${ROUNDS} rounds, transport and raw alternating\n`);
for (const { label, message, count } of cases) {
  const transportOpen = () => transportLink(message);
  const probe = await transportOpen();
  const frameBytes = probe.frameBytes;
  await probe.close();
  console.log(`${label}: ${frameBytes}-byte frames, ${count} messages`);
  const ratios: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const transport = await measure(transportOpen, count);
    const raw = await measure(() => rawLink(frameBytes, REPLY_BYTES), count);
    ratios.push(transport.messagesPerSecond / raw.messagesPerSecond);
    console.log(row('raw zmq', raw));
    console.log(row('transport', transport));
  }
  console.log(`  transport/raw: median ${percent(median(ratios))} (rounds: ${ratios.map(percent).join(', ')})\n`);
}

// Round trips: one message in flight at a time (window 1), so each message waits for the previous
// acknowledgement; the mean time per message is the mean round-trip time.
const ROUND_TRIPS = 2_000;
const micros = (t: Throughput): string => `${(1e6 / t.messagesPerSecond).toFixed(0).padStart(6)} µs`;
for (const { label, message } of cases) {
  const transportOpen = () => transportLink(message);
  const probe = await transportOpen();
  const frameBytes = probe.frameBytes;
  await probe.close();
  const ratios: number[] = [];
  const lines: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const transport = await measure(transportOpen, ROUND_TRIPS, 1);
    const raw = await measure(() => rawLink(frameBytes, REPLY_BYTES), ROUND_TRIPS, 1);
    ratios.push(raw.messagesPerSecond / transport.messagesPerSecond);
    lines.push(`  raw zmq    ${micros(raw)}   transport ${micros(transport)}`);
  }
  console.log(`round trip, ${label}: mean per message over ${ROUND_TRIPS}`);
  for (const line of lines) console.log(line);
  console.log(`  transport/raw round-trip time: median ${percent(median(ratios))}\n`);
}
