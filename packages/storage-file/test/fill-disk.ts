/**
 * Child process for the write-failure test, run under a file size limit (`ulimit -f`): saves 4 KiB
 * entries until a save fails, then tries one more. Prints `acked <index>` per acknowledged batch,
 * then `failed <error name>: <message>` for the failing save and `again <error name>` for the next.
 */
import { testEntries } from '@raft/conformance/storage-suite';
import { FileStorage } from '../src/index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: fill-disk <data-dir>');
const storage = await FileStorage.open(dir);
await storage.load();
const big = (from: number) => testEntries(from, from + 15, 1).map((e) => ({ ...e, data: new Uint8Array(4096).fill(e.index & 0xff) }));
let next = 1;
for (;;) {
  try {
    await storage.save({ entries: big(next) });
  } catch (e) {
    process.stdout.write(`failed ${(e as Error).name}: ${(e as Error).message}\n`);
    break;
  }
  next += 16;
  process.stdout.write(`acked ${next - 1}\n`);
}
const again = await storage.save({ entries: big(next) }).then(
  () => 'nothing',
  (e: unknown) => (e as Error).name,
);
process.stdout.write(`again ${again}\n`);
await storage.close();
