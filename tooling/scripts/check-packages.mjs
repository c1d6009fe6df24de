#!/usr/bin/env node
// Checks what every publishable package would publish (run after `pnpm build`): publint on its
// manifest, the tarball holds no tests, fixtures or benchmarks, and its types resolve for ESM
// consumers (@arethetypeswrong/cli). Exits 1 naming every problem.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, workspaceMembers } from './workspace-members.mjs';

const FORBIDDEN = /^package\/(test|tests|bench|fixtures|src\/.*\.test\.ts)(\/|$)/;
const problems = [];
const run = (cwd, command, args) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

for (const member of workspaceMembers()) {
  const dir = join(root, member);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const name = manifest.name;
  process.stdout.write(`${name} … `);
  const out = mkdtempSync(join(tmpdir(), 'raft-pack-'));
  try {
    try {
      run(dir, 'pnpm', ['exec', 'publint', '--pack', 'false', '--strict']);
    } catch (error) {
      problems.push(`${name}: publint: ${error.stdout || error.message}`);
    }
    run(dir, 'pnpm', ['pack', '--pack-destination', out]);
    const tarball = join(out, readdirSync(out)[0]);
    const files = run(dir, 'tar', ['tzf', tarball]).trim().split('\n');
    const stray = files.filter((file) => FORBIDDEN.test(file));
    if (stray.length > 0) problems.push(`${name}: the tarball holds files users do not need: ${stray.join(', ')}`);
    if (!files.some((file) => file.endsWith('.d.ts'))) problems.push(`${name}: the tarball holds no type declarations; run pnpm build first`);
    try {
      run(dir, 'pnpm', ['exec', 'attw', tarball, '--profile', 'esm-only', '--format', 'ascii']);
    } catch (error) {
      problems.push(`${name}: @arethetypeswrong/cli:\n${error.stdout || error.message}`);
    }
    console.log(`${files.length} files`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
if (problems.length > 0) {
  console.error(`\n${problems.join('\n\n')}`);
  process.exit(1);
}
console.log('every package publishes cleanly');
