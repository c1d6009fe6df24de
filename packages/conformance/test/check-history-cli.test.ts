import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli/check-history.ts', import.meta.url));
const etcd = fileURLToPath(new URL('../../../../shared/testdata/jepsen-etcd/', import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', cli, ...args], { encoding: 'utf8' });
}

describe('raft-check', () => {
  it('tells a simulated linearizable history from its corrupted copy (--demo)', () => {
    const r = run('--demo', '--ops', '2000', '--seed', '3');
    expect(r.stdout).toMatch(/simulated history: linearizable/);
    expect(r.stdout).toMatch(/corrupted history: NOT linearizable/);
    expect(r.status).toBe(0);
  });

  it.skipIf(!existsSync(etcd))('exits 0 for a linearizable Jepsen history and 1 for a violating one', () => {
    const good = run(`${etcd}etcd_002.jsonl`);
    expect(good.stdout).toMatch(/linearizable/);
    expect(good.status).toBe(0);
    const bad = run(`${etcd}etcd_000.jsonl`);
    expect(bad.stdout).toMatch(/NOT linearizable/);
    expect(bad.status).toBe(1);
  });

  it('exits 2 with the line named for a malformed file', () => {
    const r = run(fileURLToPath(new URL('../package.json', import.meta.url)));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/package\.json.*cannot be read as a history/s);
  });
});
