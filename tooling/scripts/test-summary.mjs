#!/usr/bin/env node
// Prints one closing line for the whole workspace ("N passed, N failed, N skipped") from the JSON
// results each package's vitest run leaves behind, so a CI log ends with the totals.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, workspaceMembers } from './workspace-members.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const member of workspaceMembers()) {
  const results = join(root, member, 'test-results.json');
  if (!existsSync(results)) {
    if (existsSync(join(root, member, 'test'))) missing.push(member);
    continue;
  }
  const r = JSON.parse(readFileSync(results, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (missing.length) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
