import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openLoaded, tempDir } from './helpers.js';

const child = fileURLToPath(new URL('./fill-disk.ts', import.meta.url));

it('a failed write fails the storage for good, and recovery keeps every acknowledged batch', async () => {
  const dir = await tempDir();
  // A 1 MiB file size limit makes the kernel refuse the write that crosses it: a real I/O failure.
  const proc = spawn('bash', ['-c', 'ulimit -f 1024; exec "$0" --import tsx --conditions=@raft/source "$1" "$2"', process.execPath, child, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const [code] = (await once(proc, 'close')) as [number];
  expect(code, out).toBe(0);
  const lines = out.trim().split('\n');
  const acked = Math.max(...lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.slice(6))));
  expect(acked).toBeGreaterThan(0);
  expect(lines.at(-2)).toMatch(/^failed StorageFailedError: writing .*\.wal failed .*restart the node/);
  expect(lines.at(-1)).toBe('again StorageFailedError');

  const { storage, state } = await openLoaded(dir);
  expect(state.entries.at(-1)?.index).toBe(acked);
  expect(storage.tornTail?.bytes).toBeGreaterThan(0);
  await storage.save({ entries: [{ index: acked + 1, term: 1, type: 0, data: new Uint8Array(1) }] });
  expect(await storage.lastIndex()).toBe(acked + 1);
});
