import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkHistory } from '../checker/check.js';
import type { CheckOptions, CheckResult } from '../checker/types.js';
import { pairOperations } from '../history/operations.js';
import type { HistoryEvent, JsonValue } from '../history/types.js';
import { formatHistory } from '../history/write.js';
import { renderReportHtml } from './html.js';
import { nemesisWindows } from './nemesis-windows.js';
import { renderLatencyPlot, renderThroughputPlot } from './plots.js';
import { summarizeRun, type RunSummary } from './summary.js';
import { renderTimeline } from './timeline.js';

/** A rendered report: the HTML page and the summary it shows. */
export interface Report {
  readonly html: string;
  readonly summary: RunSummary;
}

/**
 * Renders the report of a checked history (see `renderReportHtml`). Throws the checker's
 * `HistoryFormatError` if the events cannot be paired into operations.
 *
 * @param run - what the run was (transport, storage, seed, ...), shown at the top and copied into the summary.
 */
export function renderReport(events: readonly HistoryEvent[], check: CheckResult, run: Readonly<Record<string, JsonValue>> = {}): Report {
  const paired = pairOperations(events);
  const times = events.map((e) => e.time);
  // An empty history (the cluster never came up) still gets a report saying so.
  const span = times.length > 0 ? { start: Math.min(...times), end: Math.max(...times) } : { start: 0, end: 0 };
  const windows = nemesisWindows(paired.nemesis, span.end);
  const plot = { operations: paired.operations, windows, span };
  const summary = summarizeRun({ ...plot, check, run });
  const figures = {
    timeline: renderTimeline({ ...plot, counterexample: check.counterexample }),
    latency: renderLatencyPlot(plot),
    throughput: renderThroughputPlot(plot),
  };
  return { html: renderReportHtml(summary, figures, windows, check.counterexample), summary };
}

/** Where {@link writeRunArtifacts} put a run's files. */
export interface RunArtifacts {
  readonly historyPath: string;
  readonly summaryPath: string;
  readonly reportPath: string;
  readonly check: CheckResult;
  readonly summary: RunSummary;
}

/**
 * Checks a history and writes what a run leaves behind into `dir` (created if needed):
 * `history.jsonl` (the raw history), `summary.json` and `report.html`.
 */
export async function writeRunArtifacts(
  dir: string,
  events: readonly HistoryEvent[],
  run: Readonly<Record<string, JsonValue>>,
  options: CheckOptions = {},
): Promise<RunArtifacts> {
  await mkdir(dir, { recursive: true });
  const historyPath = join(dir, 'history.jsonl');
  await writeFile(historyPath, formatHistory(events));
  const check = checkHistory(events, options);
  const { html, summary } = renderReport(events, check, run);
  const summaryPath = join(dir, 'summary.json');
  const reportPath = join(dir, 'report.html');
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(reportPath, html);
  return { historyPath, summaryPath, reportPath, check, summary };
}
