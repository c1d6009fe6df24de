import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHistory } from '@raft/conformance';
import { afterAll, describe, expect, it } from 'vitest';

// The CI matrix: each transport with file storage, partitions, kills and pauses, ~20 s of workload each,
// through the same command a user types. A violation (or a cluster that does not recover) fails it.
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const out = await mkdtemp(join(tmpdir(), 'raft-conformance-ci-'));
afterAll(() => rm(out, { recursive: true, force: true }));

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(['zmq', 'nats'])('conformance over %s with file storage (CI matrix)', (transport) => {
  it('finds the history linearizable under partitions, kills and pauses, and writes the report', async () => {
    const dir = join(out, transport);
    const run = await runCli(['--transport', transport, '--storage', 'file', '--time', '20', '--nemesis', 'partition,kill,pause', '--seed', '42', '--out', dir]);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${transport}-file: VALID`));
    expect(run.code).toBe(0);

    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as {
      verdict: string; operations: { total: number; ok: number }; processes: number; nemesis: Record<string, number>; run: { problems: string[] };
    };
    expect(summary.verdict).toBe('valid');
    expect(summary.run.problems).toEqual([]);
    expect(summary.operations.ok).toBeGreaterThan(200);
    expect(summary.processes).toBeGreaterThanOrEqual(10);
    // Over 20 s, with faults of 2–5 s after 1–3 s of quiet, at least two faults happen.
    expect(Object.values(summary.nemesis).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    const history = parseHistory(await readFile(join(dir, 'history.jsonl'), 'utf8'));
    expect(history.problems).toEqual([]);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('class="timeline"');
    expect(html).toContain('Linearizable');
  }, 180_000);
});

describe('lease reads (--read-mode lease)', () => {
  it('are linearizable under partitions and kills, on leaders and on followers that forward them', async () => {
    const dir = join(out, 'lease');
    const run = await runCli(['--transport', 'zmq', '--read-mode', 'lease', '--time', '15', '--nemesis', 'partition,kill', '--seed', '11', '--out', dir]);
    expect(run.stdout + run.stderr).toMatch(/zmq-file: VALID/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { run: { reads: string }; operations: { ok: number } };
    expect(summary.run.reads).toBe('linearizable, leader lease');
    expect(summary.operations.ok).toBeGreaterThan(200);
    expect(await readFile(join(dir, 'nodes', 'node-2.log'), 'utf8')).toContain('"readMode":"lease"');
  }, 120_000);
});

describe('in one process (--transport memory)', () => {
  it('is linearizable under partitions, crashes that keep only durable writes, and a flaky network', async () => {
    const dir = join(out, 'memory');
    const run = await runCli(['--transport', 'memory', '--storage', 'memory', '--time', '15', '--nemesis', 'partition,kill,flaky', '--seed', '9', '--out', dir]);
    expect(run.stdout + run.stderr).toMatch(/memory-memory: VALID/);
    expect(run.code).toBe(0);
  }, 120_000);
});

describe('adapters from a module path', () => {
  it('runs nodes over a third party\'s transport and storage module, and checks the history', async () => {
    const adapters = fileURLToPath(new URL('./fixtures/third-party-adapters.ts', import.meta.url));
    const dir = join(out, 'module');
    const run = await runCli(['--transport', adapters, '--storage', adapters, '--time', '10', '--nemesis', 'kill', '--seed', '5', '--out', dir]);
    expect(run.stdout + run.stderr).toMatch(/third-party-adapters-third-party-adapters: VALID/);
    expect(run.code).toBe(0);
    const nodeLog = await readFile(join(dir, 'nodes', 'node-1.log'), 'utf8');
    expect(nodeLog).toContain(`"transport":{"module":"${adapters}"}`);
  }, 120_000);
});

describe('a bad command line', () => {
  it('exits 2 with the reason and the usage', async () => {
    const run = await runCli(['--nodes', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--nodes must be an integer from 3 to 9; got "1"[\s\S]*usage: pnpm conformance/);
  });
});
