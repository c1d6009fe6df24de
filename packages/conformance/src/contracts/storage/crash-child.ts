/**
 * The process the crash harness kills: opens the adapter's storage through the module it was
 * given, then runs the crash workload forever, announcing each operation before it starts and
 * acknowledging it once its promise resolved. stdout is a pipe, which Node writes synchronously on
 * Linux, so a printed acknowledgement survives the SIGKILL that follows it.
 *
 * Usage: node --import tsx --conditions=@raft/source crash-child.ts <module-url> <dir> <seed> [concurrency]
 */
import { seededRandom } from '@raft/core';
import { formatLine, type CrashLine } from './crash-protocol.js';
import { apply, fromPersisted } from './crash-state.js';
import { nextOp, runOp } from './crash-workload.js';
import { importOpenModule } from './open-module.js';

const [moduleUrl, dir, seedText, concurrencyText = '1'] = process.argv.slice(2);
if (moduleUrl === undefined || dir === undefined || seedText === undefined) {
  throw new Error('usage: crash-child <module-url> <data-dir> <seed> [concurrency]');
}
const concurrency = Number(concurrencyText);
const print = (line: CrashLine): void => {
  process.stdout.write(`${formatLine(line)}\n`);
};

print({ kind: 'opening' });
const open = await importOpenModule(moduleUrl);
const storage = await open(dir);
let state = fromPersisted(await storage.load());
print({ kind: 'ready' });

const random = seededRandom(Number(seedText));
let term = state.terms.reduce((max, t) => Math.max(max, t), Math.max(1, state.hardState.term, state.snapshotTerm));
// Up to `concurrency` saves in flight; acknowledgements are printed in call order. Snapshots and
// installs run alone, as a runtime would issue them.
let acked: Promise<unknown> = Promise.resolve();
const window: Promise<unknown>[] = [];
for (;;) {
  const op = nextOp(state, term, random);
  const alone = op.kind !== 'save';
  if (alone) await acked;
  print({ kind: 'try', op });
  const done = runOp(storage, op);
  acked = Promise.all([acked, done]).then(() => print({ kind: 'ack' }));
  window.push(acked);
  if (alone || window.length >= concurrency) await window.shift();
  if (alone) await acked;
  state = apply(state, op);
  term = Math.max(term, op.term);
}
