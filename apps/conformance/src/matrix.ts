import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { escapeMarkup, OUTCOME_COLORS } from '@raft/conformance';
import { checkCombination, STORAGES, TRANSPORTS, UsageError, type RunConfig } from './options.js';
import { configName, describeRun, type RunOutcome } from './run-one.js';

/**
 * The configurations `--all` runs: every transport × storage, each with the given options, less
 * what cannot work: over processes with memory storage the kill nemesis is left out (a killed
 * process would lose its log by design); in one process (memory transport) pause is left out and
 * only memory and file storage run. A run left without any fault is skipped.
 */
export function matrix(base: RunConfig): RunConfig[] {
  const configs: RunConfig[] = [];
  for (const transport of TRANSPORTS) {
    for (const storage of STORAGES) {
      if (transport === 'memory' && storage !== 'memory' && storage !== 'file') continue;
      const left = new Set([...(transport === 'memory' ? ['pause'] : []), ...(transport !== 'memory' && storage === 'memory' ? ['kill'] : [])]);
      const faults = base.faults.filter((f) => !left.has(f));
      if (faults.length === 0 && base.faults.length > 0) continue;
      const config = { ...base, transport, storage, faults };
      checkCombination(config);
      configs.push(config);
    }
  }
  if (configs.length === 0) throw new UsageError('the matrix is empty for these options');
  return configs;
}

/** Writes `index.html` and `matrix.json`: one row per run, linking its report. */
export async function writeMatrixIndex(out: string, outcomes: readonly RunOutcome[]): Promise<void> {
  const rows = outcomes.map((o) => ({
    name: configName(o.config),
    run: describeRun(o.config),
    verdict: o.summary.verdict,
    passed: o.passed,
    operations: o.summary.operations,
    problems: o.problems,
    report: relative(out, join(o.dir, 'report.html')),
  }));
  await writeFile(join(out, 'matrix.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const tr = rows
    .map((r) => {
      const colour = r.passed ? OUTCOME_COLORS.ok : OUTCOME_COLORS.fail;
      const ops = `${r.operations.total} (${r.operations.ok} ok, ${r.operations.fail} fail, ${r.operations.info} info)`;
      return `<tr><td><a href="${escapeMarkup(r.report)}">${escapeMarkup(r.name)}</a></td><td style="color:#fff;background:${colour}">${escapeMarkup(r.verdict)}${r.passed ? '' : ' ✗'}</td><td>${escapeMarkup(ops)}</td><td>${escapeMarkup(String(r.run.nemesis))}</td><td>${escapeMarkup(r.problems.join('; '))}</td></tr>`;
    })
    .join('\n');
  const passed = rows.filter((r) => r.passed).length;
  await writeFile(
    join(out, 'index.html'),
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>raft conformance matrix: ${passed}/${rows.length} passed</title>
<style>body{font-family:system-ui,sans-serif;margin:24px}td,th{padding:4px 10px;text-align:left}</style></head>
<body><h1>Raft conformance matrix</h1><p>${passed} of ${rows.length} runs passed (seed ${escapeMarkup(String(rows[0]?.run.seed))}, ${escapeMarkup(String(rows[0]?.run.seconds))} s each).</p>
<table><tr><th>transport-storage</th><th>verdict</th><th>operations</th><th>nemesis</th><th>problems</th></tr>
${tr}
</table></body></html>
`,
  );
}
