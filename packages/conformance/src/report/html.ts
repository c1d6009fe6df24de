import type { Counterexample } from '../checker/types.js';
import type { NemesisWindow } from './nemesis-windows.js';
import { COUNTEREXAMPLE_COLOR, NEMESIS_COLOR, OUTCOME_COLORS } from './palette.js';
import type { RunSummary } from './summary.js';
import { element, escapeMarkup } from './svg.js';

const VERDICT_COLORS: Readonly<Record<RunSummary['verdict'], string>> = {
  valid: OUTCOME_COLORS.ok,
  invalid: OUTCOME_COLORS.fail,
  unknown: OUTCOME_COLORS.info,
};

/** The drawn parts of a report, rendered by `timeline.ts` and `plots.ts`. */
export interface ReportFigures {
  readonly timeline: string;
  readonly latency: string;
  readonly throughput: string;
}

/**
 * The whole report as one self-contained HTML document: inline CSS and SVG, no scripts, no
 * external assets, so it can be archived as a CI artifact and opened anywhere.
 */
export function renderReportHtml(summary: RunSummary, figures: ReportFigures, windows: readonly NemesisWindow[], counterexample?: Counterexample): string {
  const title = `raft conformance: ${summary.verdict}`;
  const ops = summary.operations;
  const facts = Object.entries(summary.run).map(([k, v]) => element('tr', {}, element('th', {}, escapeMarkup(k)), element('td', {}, escapeMarkup(describeFact(v)))));
  const legend = element('p', { class: 'legend' },
    ...(['ok', 'fail', 'info'] as const).map((o) => swatch(OUTCOME_COLORS[o], o)),
    swatch(NEMESIS_COLOR, 'fault in effect'),
    counterexample ? swatch(COUNTEREXAMPLE_COLOR, 'counterexample') : '');
  return `<!DOCTYPE html>\n${element('html', { lang: 'en' },
    element('head', {},
      element('meta', { charset: 'utf-8' }),
      element('title', {}, escapeMarkup(title)),
      element('style', {}, STYLE)),
    element('body', {},
      element('h1', {}, 'Raft conformance run'),
      element('p', { class: `verdict ${summary.verdict}`, style: `background:${VERDICT_COLORS[summary.verdict]}` },
        escapeMarkup(verdictSentence(summary))),
      element('table', { class: 'run' }, ...facts,
        element('tr', {}, element('th', {}, 'operations'), element('td', {}, escapeMarkup(`${ops.total}: ${ops.ok} ok, ${ops.fail} fail, ${ops.info} info`))),
        element('tr', {}, element('th', {}, 'duration'), element('td', {}, escapeMarkup(`${summary.durationSeconds.toFixed(1)} s`))),
        element('tr', {}, element('th', {}, 'latency (ok)'), element('td', {}, escapeMarkup(summary.latencyMs ? `p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms` : 'no successful operation')))),
      counterexample ? renderCounterexample(summary) : '',
      element('h2', {}, 'Timeline'),
      legend,
      element('div', { class: 'figure' }, figures.timeline),
      element('h2', {}, 'Latency'),
      element('div', { class: 'figure' }, figures.latency),
      element('h2', {}, 'Throughput'),
      element('div', { class: 'figure' }, figures.throughput),
      element('h2', {}, 'Faults'),
      windows.length === 0
        ? element('p', {}, 'No fault was injected.')
        : element('ol', { class: 'faults' }, ...windows.map((w) => element('li', {}, escapeMarkup(`${w.fault} ${JSON.stringify(w.detail)}`))))))
  }\n`;
}

function verdictSentence(summary: RunSummary): string {
  if (summary.verdict === 'valid') return 'Linearizable: the history is consistent with a single register per key.';
  if (summary.verdict === 'invalid') return `NOT linearizable: key ${summary.counterexample?.key ?? '?'} has no valid order of operations.`;
  return 'Unknown: the checker ran out of time or memory before deciding; rerun with a shorter --time or fewer clients.';
}

function renderCounterexample(summary: RunSummary): string {
  const c = summary.counterexample!;
  return element('section', { class: 'counterexample' },
    element('h2', {}, 'Counterexample'),
    element('p', {}, escapeMarkup(`On key ${c.key}, after a valid prefix leaving the value ${JSON.stringify(c.valueAfterPrefix)}, none of these operations can come next, yet one of them had to (window ${c.windowSeconds.start.toFixed(3)}s–${c.windowSeconds.end.toFixed(3)}s):`)),
    element('ul', {}, ...c.unlinearizable.map((d) => element('li', { class: d === c.blocked ? 'blocked' : undefined }, escapeMarkup(d)))),
    element('p', {}, escapeMarkup(`The operation that completed with no way to have taken effect: ${c.blocked}`)));
}

/** A run fact as a reader wants it: a list as its items joined by semicolons (an empty one as "none"), not JSON. */
function describeFact(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join('; ');
  return JSON.stringify(value);
}

function swatch(color: string, label: string): string {
  return element('span', { class: 'swatch' }, element('i', { style: `background:${color}` }, ''), escapeMarkup(label));
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:24px;color:#1d2329}
.verdict{color:#fff;font-weight:600;padding:10px 14px;border-radius:6px;display:inline-block}
table.run th{text-align:left;padding-right:16px;font-weight:500;color:#56606b}
.figure{overflow-x:auto;border:1px solid #e3e6ea;border-radius:6px;padding:4px}
.swatch{margin-right:16px}.swatch i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle;border-radius:2px}
.counterexample li.blocked{font-weight:600}`;
