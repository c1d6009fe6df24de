/**
 * Linearizability checker benchmark: `pnpm --filter @raft/conformance bench`.
 *
 * 1. A generated 100,000-operation register history (20 processes, 10 keys): time to check it,
 *    valid and with one stale read, against the target of 5 s. As a reference measured in
 *    the same run, the time to parse and pair the same history from JSON Lines text: the ratio says
 *    what checking costs relative to merely reading the history, whatever the machine.
 * 2. The same size with all 20 processes contending for one key: the hard case for a search
 *    that splits by key, shown for what it is (no target).
 * 3. The 102 Jepsen etcd histories: total time to check them all (already parsed).
 *
 * Each figure is the median of several runs after a warm-up run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkHistory,
  formatHistory,
  injectStaleRead,
  pairOperations,
  parseHistory,
  readHistoryFile,
  simulateRegisterHistory,
  type HistoryEvent,
  type Verdict,
} from '@raft/conformance';

const RUNS = 5;
const TARGET_MS = 5_000;

/** Median wall time of `RUNS` runs after one warm-up; fails loudly if the answer is ever wrong. */
function measure(label: string, run: () => unknown, expected: unknown): number {
  const answer = run();
  if (answer !== expected) throw new Error(`${label}: expected ${String(expected)}, got ${String(answer)}`);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const ms = (value: number): string => `${value.toFixed(0)} ms`;

function benchGenerated(keys: number): void {
  const events = simulateRegisterHistory({ seed: 1, operations: 100_000, processes: 20, keys });
  const corrupted = injectStaleRead(events, 1)!.events;
  const text = formatHistory(events);
  const verdict = (history: HistoryEvent[]): Verdict => checkHistory(history, { timeoutMs: 60_000 }).valid;

  const read = measure('parse + pair', () => pairOperations(parseHistory(text).events).problems.length, 0);
  const valid = measure('valid history', () => verdict(events), true);
  const invalid = measure('history with a stale read', () => verdict(corrupted), false);
  console.log(`100,000 operations, 20 processes, ${keys} key${keys === 1 ? '' : 's'} (200,000 events)`);
  console.log(`  parse + pair JSONL (reference)  ${ms(read)}`);
  console.log(`  check, linearizable             ${ms(valid)}  (${(valid / read).toFixed(2)}× reference)`);
  console.log(`  check, one stale read           ${ms(invalid)}  (${(invalid / read).toFixed(2)}× reference)`);
  if (keys === 10) {
    console.log(`  target: under ${ms(TARGET_MS)}: ${Math.max(valid, invalid) < TARGET_MS ? 'met' : 'MISSED'}`);
  }
}

async function benchEtcd(): Promise<void> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const testdata = resolve(repoRoot, '../shared/testdata/jepsen-etcd');
  const expectedFile = join(testdata, 'expected.txt');
  if (!existsSync(expectedFile)) {
    console.log(`Jepsen etcd histories: skipped, ${expectedFile} is missing`);
    return;
  }
  const cases = await Promise.all(
    readFileSync(expectedFile, 'utf8')
      .trim()
      .split('\n')
      .map(async (line) => {
        const [number, verdict] = line.split(' ');
        const parsed = await readHistoryFile(join(testdata, `etcd_${number!.padStart(3, '0')}.jsonl`));
        return { events: parsed.events, valid: verdict === 'true' };
      }),
  );
  const wrong = () => cases.filter((c) => checkHistory(c.events).valid !== c.valid).length;
  const total = measure('Jepsen etcd verdicts', wrong, 0);
  console.log(`Jepsen etcd: ${cases.length} histories, all verdicts as expected`);
  console.log(`  check all                       ${ms(total)}  (${ms(total / cases.length)} per history)`);
}

benchGenerated(10);
benchGenerated(1);
await benchEtcd();
