/**
 * Throughput of three in-process RawNodes with no I/O: 64 proposers each keep one 16-byte command
 * outstanding (a new one as soon as the previous commits). Reports committed entries per second,
 * heap bytes allocated per entry, and the ratio to a protocol-free reference loop measured in the
 * same run.
 *
 * Run: `pnpm run bench` (in packages/core). `BENCH_SECONDS` sets the measured period (default 3).
 */
import { measureAllocation } from './allocation.js';
import { InProcessCluster } from './in-process-cluster.js';
import { referenceRate } from './reference.js';

const PROPOSERS = 64;
const COMMAND_BYTES = 16;
const WARMUP_SECONDS = 1;
const MEASURE_SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3);
const REFERENCE_ENTRIES = 2_000_000;

let committed = 0;
let outstanding = 0;
const cluster = new InProcessCluster((count) => {
  committed += count;
  outstanding -= count;
});

/** Tops the outstanding proposals back up to one per proposer. */
function propose(): void {
  while (outstanding < PROPOSERS) {
    cluster.leader.propose(new Uint8Array(COMMAND_BYTES));
    outstanding++;
  }
}

/** The protocol-free reference: its rate and the heap bytes it allocates per entry. */
function measureReference(): { rate: number; bytesPerEntry: number } {
  const { result, bytes } = measureAllocation(() => referenceRate(REFERENCE_ENTRIES, PROPOSERS, COMMAND_BYTES));
  return { rate: result, bytesPerEntry: bytes / REFERENCE_ENTRIES };
}

/** Runs the cluster for `seconds`; returns the commands committed meanwhile. */
function runFor(seconds: number): number {
  const from = committed;
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    // Check the clock every few rounds only: it is not free.
    for (let i = 0; i < 64; i++) {
      propose();
      cluster.pump();
    }
  }
  return committed - from;
}

runFor(WARMUP_SECONDS);
const referenceBefore = measureReference();
const started = performance.now();
const measured = measureAllocation(() => runFor(MEASURE_SECONDS));
const seconds = (performance.now() - started) / 1000;
const entries = measured.result;
const rate = entries / seconds;

// The machine is shared: measure the reference on both sides of the run and keep the faster, so
// the ratio errs on the side of overstating the protocol's overhead.
const referenceAfter = measureReference();
const reference = referenceBefore.rate > referenceAfter.rate ? referenceBefore : referenceAfter;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`RawNode ×3 in process, ${PROPOSERS} proposers, ${COMMAND_BYTES}-byte commands, ${seconds.toFixed(1)} s measured`);
console.log(`  committed:   ${fmt(entries)} entries, ${fmt(rate)} entries/s`);
console.log(`  allocated:   ${fmt(measured.bytes / entries)} bytes/entry`);
console.log(`reference loop (no protocol; the faster of a run before and one after)`);
console.log(`  rate:        ${fmt(reference.rate)} entries/s (before ${fmt(referenceBefore.rate)}, after ${fmt(referenceAfter.rate)})`);
console.log(`  allocated:   ${fmt(reference.bytesPerEntry)} bytes/entry`);
console.log(`ratio: RawNode runs at ${(rate / reference.rate).toFixed(3)}× the reference rate`);
