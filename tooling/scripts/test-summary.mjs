#!/usr/bin/env node
// Prints one closing line for the whole workspace ("N passed, N failed, N skipped") from the JSON
// results each package's vitest run leaves behind, so a CI log ends with the totals.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const group of ['packages', 'apps']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const results = join(dir, name, 'test-results.json');
    if (!existsSync(results)) {
      if (existsSync(join(dir, name, 'test'))) missing.push(`${group}/${name}`);
      continue;
    }
    const r = JSON.parse(readFileSync(results, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
}
if (missing.length) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
