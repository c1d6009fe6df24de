/**
 * `pnpm bench`: one-way throughput and round-trip latency of the NATS transport next to plain NATS
 * publish/subscribe, measured in the same run against a nats-server this script starts.
 *
 * On a shared machine absolute numbers drift from one second to the next, so the transport and the
 * raw client are measured alternately, several rounds each, and the ratio reported is the median of
 * the per-round ratios.
 */
import { NatsServer } from '../src/testing/index.js';
import { rawLink, transportLink, type Link } from './links.js';
import { measureLatency, measureThroughput, type Latency, type Throughput } from './measure.js';

/** The bench server's max_payload (nats-server's default): the 4 MiB case is chunked. */
const MAX_PAYLOAD = 1024 * 1024;

const cases = [
  { label: '100 B', payloadBytes: 100, throughputCount: 100_000, latencyCount: 2_000 },
  { label: '64 KiB', payloadBytes: 64 * 1024, throughputCount: 4_000, latencyCount: 1_000 },
  { label: '4 MiB (chunked)', payloadBytes: 4 * 1024 * 1024, throughputCount: 100, latencyCount: 50 },
];

/** Rounds of transport-then-raw measurements per case. */
const ROUNDS = 3;

interface Result {
  readonly throughput: Throughput;
  readonly latency: Latency;
  readonly frameBytes: number;
}

async function measure(open: () => Promise<Link>, throughputCount: number, latencyCount: number): Promise<Result> {
  const link = await open();
  try {
    // A short warm-up so the JIT and socket buffers are not part of the measurement.
    await measureThroughput(link, Math.ceil(throughputCount / 10));
    const throughput = await measureThroughput(link, throughputCount);
    const latency = await measureLatency(link, latencyCount);
    return { throughput, latency, frameBytes: link.frameBytes };
  } finally {
    await link.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function row(name: string, result: Result): string {
  const { throughput, latency, frameBytes } = result;
  return (
    `  ${name.padEnd(10)} ${frameBytes.toString().padStart(8)} B ${throughput.messagesPerSecond.toFixed(0).padStart(9)} msg/s ` +
    `${throughput.megabytesPerSecond.toFixed(1).padStart(7)} MB/s   rtt p50 ${latency.p50.toFixed(0).padStart(6)} µs  p99 ${latency.p99.toFixed(0).padStart(6)} µs`
  );
}

const server = await NatsServer.start({ name: 'bench', maxPayload: MAX_PAYLOAD });
try {
  console.log(`nats-server on ${server.url} (max_payload ${MAX_PAYLOAD}); node ${process.version}; ${ROUNDS} rounds\n`);
  for (const { label, payloadBytes, throughputCount, latencyCount } of cases) {
    console.log(`${label} entries`);
    // Raw NATS cannot publish more than max_payload: for a chunked frame the reference is the
    // largest payload the server takes, compared by bytes rather than by messages.
    const unit = payloadBytes < MAX_PAYLOAD ? 'messagesPerSecond' : 'megabytesPerSecond';
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const transport = await measure(() => transportLink(server.url, payloadBytes), throughputCount, latencyCount);
      const rawBytes = Math.min(transport.frameBytes, MAX_PAYLOAD);
      const rawCount = Math.ceil((throughputCount * transport.frameBytes) / rawBytes);
      const raw = await measure(() => rawLink(server.url, rawBytes), rawCount, latencyCount);
      ratios.push(transport.throughput[unit] / raw.throughput[unit]);
      console.log(row('raw NATS', raw));
      console.log(row('transport', transport));
    }
    const percent = (ratio: number): string => `${(ratio * 100).toFixed(0)}%`;
    const per = unit === 'messagesPerSecond' ? 'messages' : 'bytes';
    console.log(`  throughput transport/raw, ${per} per second: median ${percent(median(ratios))} (rounds: ${ratios.map(percent).join(', ')})\n`);
  }
} finally {
  await server.stop();
}
