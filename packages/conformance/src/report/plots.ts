import type { Operation, Outcome } from '../history/types.js';
import { secondsInto, timeScale, type TimeSpan } from './frame.js';
import type { NemesisWindow } from './nemesis-windows.js';
import { NEMESIS_COLOR, OUTCOME_COLORS } from './palette.js';
import { element, escapeMarkup, formatSeconds, ticks } from './svg.js';

const WIDTH = 1200;
const HEIGHT = 220;
const LEFT = 56;
const TOP = 12;
const BOTTOM = 24;
const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
const OUTCOMES: readonly Outcome[] = ['ok', 'fail', 'info'];

/** What a plot over time draws. */
export interface PlotInput {
  readonly operations: readonly Operation[];
  readonly windows: readonly NemesisWindow[];
  readonly span: TimeSpan;
}

/**
 * Latency of each completed operation against the time it was invoked, one dot per operation
 * coloured by outcome, on a logarithmic axis (timeouts and sub-millisecond reads both stay legible).
 */
export function renderLatencyPlot(input: PlotInput): string {
  const completed = input.operations.filter((o) => o.completedAt !== null);
  const latencies = completed.map((o) => Math.max((o.completedAt! - o.call) / 1e6, 0.01));
  const maxLog = Math.ceil(Math.log10(Math.max(...latencies, 10)));
  const minLog = Math.min(Math.floor(Math.log10(Math.min(...latencies, 1))), maxLog - 1);
  const y = (ms: number): number => TOP + PLOT_HEIGHT * (1 - (Math.log10(ms) - minLog) / (maxLog - minLog));
  const x = timeScale(input.span, LEFT, WIDTH - LEFT - 8);
  const yAxis = Array.from({ length: maxLog - minLog + 1 }, (_, i) => 10 ** (minLog + i)).map((ms) =>
    gridLine(y(ms), `${Number(ms.toPrecision(1))} ms`),
  );
  const dots = completed.map((o, i) =>
    element('circle', { class: `point ${o.outcome}`, cx: x(o.call), cy: y(latencies[i]!), r: 1.8, fill: OUTCOME_COLORS[o.outcome] }),
  );
  return frame('latency', 'latency (ms, log scale) by invocation time', input, [...yAxis, ...dots]);
}

/**
 * Completed operations per second, one line per outcome, in buckets of at least a second (more for
 * long runs, so the plot keeps about a hundred points).
 */
export function renderThroughputPlot(input: PlotInput): string {
  const seconds = (input.span.end - input.span.start) / 1e9;
  const bucket = Math.max(1, Math.ceil(seconds / 100));
  const buckets = Math.max(1, Math.ceil(seconds / bucket));
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, new Array<number>(buckets).fill(0)])) as Record<Outcome, number[]>;
  for (const o of input.operations) {
    if (o.completedAt === null) continue;
    const at = Math.min(Math.floor(secondsInto(input.span, o.completedAt) / bucket), buckets - 1);
    counts[o.outcome][at]! += 1 / bucket;
  }
  const max = Math.max(1, ...OUTCOMES.flatMap((o) => counts[o]));
  const y = (rate: number): number => TOP + PLOT_HEIGHT * (1 - rate / max);
  const x = timeScale(input.span, LEFT, WIDTH - LEFT - 8);
  const yAxis = ticks(max, 4).map((rate) => gridLine(y(rate), `${rate}/s`));
  const lines = OUTCOMES.map((outcome) => {
    const points = counts[outcome].map((rate, i) => `${round(x(input.span.start + (i + 0.5) * bucket * 1e9))},${round(y(rate))}`);
    return element('polyline', { class: `series ${outcome}`, points: points.join(' '), fill: 'none', stroke: OUTCOME_COLORS[outcome], 'stroke-width': 1.5 });
  });
  return frame('throughput', 'completed operations per second', input, [...yAxis, ...lines]);
}

function gridLine(at: number, label: string): string {
  return element('g', { class: 'grid' },
    element('line', { x1: LEFT, x2: WIDTH - 8, y1: at, y2: at, stroke: '#e3e6ea' }),
    element('text', { x: LEFT - 6, y: at + 3, 'text-anchor': 'end' }, escapeMarkup(label)));
}

/** The shared parts of a plot over time: nemesis shading, the time axis, a caption. */
function frame(kind: string, caption: string, input: PlotInput, content: string[]): string {
  const x = timeScale(input.span, LEFT, WIDTH - LEFT - 8);
  const windows = input.windows.map((w) =>
    element('rect', { class: 'nemesis-window', 'data-fault': w.fault, x: x(w.start), y: TOP, width: Math.max(x(w.end) - x(w.start), 1), height: PLOT_HEIGHT, fill: NEMESIS_COLOR, 'fill-opacity': 0.18 }),
  );
  const xAxis = ticks((input.span.end - input.span.start) / 1e9, 10).map((s) =>
    element('text', { x: x(input.span.start + s * 1e9), y: HEIGHT - 8, 'text-anchor': 'middle' }, escapeMarkup(formatSeconds(s))),
  );
  return element('svg', {
    xmlns: 'http://www.w3.org/2000/svg', class: kind, width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    'font-family': 'sans-serif', 'font-size': 10, 'aria-label': caption,
  }, ...windows, ...content, ...xAxis);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
