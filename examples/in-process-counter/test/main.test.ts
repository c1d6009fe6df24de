import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('replicates the counter, reads it on a follower and after a restart from a snapshot, and exits', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', MAIN], {
    timeout: 15_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^leader: node [123]$/);
  expect(lines.slice(1, 6)).toEqual(['add 1 -> 1', 'add 2 -> 3', 'add 3 -> 6', 'add 4 -> 10', 'add 5 -> 15']);
  const follower = /^node ([123]) \(follower\) reads 15$/.exec(lines[6]!)?.[1];
  expect(follower).toBeDefined();
  expect(lines.slice(7)).toEqual([
    `node ${follower} restarted with 15 (from a snapshot: true)`,
    `node ${follower} reads 15`,
    'stopped',
  ]);
});
