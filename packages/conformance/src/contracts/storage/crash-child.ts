/**
 * The process the crash harness kills: opens the adapter's storage through the module it was
 * given, then runs the crash workload forever, announcing each operation before it starts and
 * acknowledging it once its promise resolved. stdout is a pipe, which Node writes synchronously on
 * Linux, so a printed acknowledgement survives the SIGKILL that follows it.
 *
 * Usage: node --import tsx --conditions=@raft/source crash-child.ts <module-url> <dir> <seed>
 */
import { seededRandom } from '@raft/core';
import { formatLine, type CrashLine } from './crash-protocol.js';
import { apply, fromPersisted } from './crash-state.js';
import { nextOp, runOp } from './crash-workload.js';
import { importOpenModule } from './open-module.js';

const [moduleUrl, dir, seedText] = process.argv.slice(2);
if (moduleUrl === undefined || dir === undefined || seedText === undefined) {
  throw new Error('usage: crash-child <module-url> <data-dir> <seed>');
}
const print = (line: CrashLine): void => {
  process.stdout.write(`${formatLine(line)}\n`);
};

print({ kind: 'opening' });
const open = await importOpenModule(moduleUrl);
const storage = await open(dir);
let state = fromPersisted(await storage.load());
print({ kind: 'ready' });

const random = seededRandom(Number(seedText));
let term = Math.max(1, state.hardState.term, state.snapshotTerm, ...state.terms);
for (;;) {
  const op = nextOp(state, term, random);
  print({ kind: 'try', op });
  await runOp(storage, op);
  print({ kind: 'ack' });
  state = apply(state, op);
  term = Math.max(term, op.term);
}
