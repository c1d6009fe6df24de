import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

/** Runs the `sim` command as `pnpm sim` does, and collects its exit code and output. */
function sim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', 'src/cli.ts', ...args], { cwd: packageDir }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe('pnpm sim', () => {
  it('replays one seed, telling the story of the run, and exits 0', async () => {
    const { code, stdout } = await sim('--seed', '5', '--nodes', '3', '--steps', '400');
    expect(code).toBe(0);
    expect(stdout).toMatch(/becomes leader of term \d+/);
    expect(stdout).toMatch(/committed \d+\/t\d+/);
    expect(stdout).toMatch(/PASS seed 5, 3 nodes: \d+ steps/);
    expect(stdout).not.toMatch(/deliver /);
  });

  it('prints every message with --trace', async () => {
    const { code, stdout } = await sim('--seed', '5', '--nodes', '3', '--steps', '100', '--trace');
    expect(code).toBe(0);
    expect(stdout).toMatch(/deliver (App|Heartbeat|Vote|PreVote)/);
    expect(stdout).toMatch(/\] tick/);
  });

  it('sweeps a range of seeds and sizes', async () => {
    const { code, stdout } = await sim('--seeds', '1..3', '--nodes', '3,5', '--steps', '200');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^6 runs \(seeds 1\.\.3 × 3,5 nodes × 200 steps\): 0 failed/m);
  });

  it('exits 1 on a violation and prints how to replay it', async () => {
    const core = fixture('every-node-leads.ts');
    const { code, stdout } = await sim('--seeds', '1..2', '--nodes', '3', '--steps', '50', '--core', core, '--fail-fast');
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL seed 1, 3 nodes, step 0: Election Safety violated: term 1 has two leaders: n1 (since step 0) and n2 (at step 0)');
    expect(stdout).toContain(`replay: pnpm sim --seed 1 --nodes 3 --steps 50 --core ${core} --trace`);
    expect(stdout).toMatch(/^1 runs .*: 1 failed/m);
  });

  it('refuses a --core module without RawNode, and a bad command line, saying what to do', async () => {
    const notCore = await sim('--core', fixture('no-raw-node.ts'));
    expect(notCore.code).not.toBe(0);
    expect(notCore.stderr).toContain('does not export a RawNode class');
    const bad = await sim('--seeds', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--seeds takes a range A..B such as 1..500, got "many"');
    expect(bad.stderr).toContain('usage: pnpm sim');
  });
});
