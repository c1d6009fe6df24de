import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

it('runs a three-node cluster over the custom TCP transport and file storage, survives stopping the leader, and exits', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', MAIN], {
    timeout: 30_000,
  });
  const lines = stdout.trim().split('\n');
  const first = /^leader: node ([123])$/.exec(lines[0]!)?.[1];
  expect(first).toBeDefined();
  expect(lines[1]).toBe('value was null, now blue');
  expect(lines[2]).toMatch(new RegExp(`^node ${first} stopped; new leader: node (?!${first})[123]$`));
  expect(lines.slice(3)).toEqual(['value was blue, now green', `node ${first} restarted from its data directory and reads green`, 'stopped']);
});
