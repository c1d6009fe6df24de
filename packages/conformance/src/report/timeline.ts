import type { Counterexample } from '../checker/types.js';
import type { Operation } from '../history/types.js';
import { timeScale, type TimeSpan } from './frame.js';
import type { NemesisWindow } from './nemesis-windows.js';
import { COUNTEREXAMPLE_COLOR, NEMESIS_COLOR, OUTCOME_COLORS } from './palette.js';
import { element, escapeMarkup, formatSeconds, ticks } from './svg.js';

const WIDTH = 1200;
const LEFT = 56;
const TOP = 22;
const LANE = 14;
const BAR = 10;

/** What the timeline draws. */
export interface TimelineInput {
  readonly operations: readonly Operation[];
  readonly windows: readonly NemesisWindow[];
  readonly span: TimeSpan;
  /** Drawn over the operations when the history is not linearizable. */
  readonly counterexample?: Counterexample | undefined;
}

/**
 * The history as an SVG timeline: one lane per client process (in process order), each operation a
 * bar from invocation to completion coloured by outcome (an operation still in flight at the end
 * runs to the edge), the time each fault was in effect shaded across all lanes, and the
 * counterexample's operations outlined with its failing window marked.
 */
export function renderTimeline(input: TimelineInput): string {
  const processes = [...new Set(input.operations.map((o) => o.process))].sort((a, b) => a - b);
  const laneOf = new Map(processes.map((p, i) => [p, i]));
  const plotWidth = WIDTH - LEFT - 8;
  const height = TOP + processes.length * LANE + 8;
  const x = timeScale(input.span, LEFT, plotWidth);
  const suspects = new Set(input.counterexample?.unlinearizable.map((o) => o.id));
  const blocked = input.counterexample?.blocked.id;
  const laneTop = (process: number): number => TOP + laneOf.get(process)! * LANE;

  const axis = ticks((input.span.end - input.span.start) / 1e9, 10).map((s) => {
    const at = x(input.span.start + s * 1e9);
    return element('g', { class: 'tick' },
      element('line', { x1: at, x2: at, y1: TOP - 4, y2: height - 8, stroke: '#e3e6ea' }),
      element('text', { x: at, y: TOP - 8, 'text-anchor': 'middle' }, escapeMarkup(formatSeconds(s))));
  });
  const windows = input.windows.map((w) =>
    element('rect', {
      class: 'nemesis-window', 'data-fault': w.fault,
      x: x(w.start), y: TOP, width: Math.max(x(w.end) - x(w.start), 1), height: processes.length * LANE,
      fill: NEMESIS_COLOR, 'fill-opacity': 0.18,
    }, element('title', {}, escapeMarkup(`${w.fault} ${JSON.stringify(w.detail)}`))),
  );
  const lanes = processes.map((process) => {
    const top = laneTop(process);
    const ops = input.operations.filter((o) => o.process === process).map((o) => {
      const end = o.completedAt ?? input.span.end;
      const isSuspect = suspects.has(o.id);
      return element('rect', {
        class: ['op', o.outcome, isSuspect ? 'counterexample' : undefined, o.id === blocked ? 'blocked' : undefined].filter(Boolean).join(' '),
        'data-op': o.id, 'data-outcome': o.outcome,
        x: x(o.call), y: top + (LANE - BAR) / 2, width: Math.max(x(end) - x(o.call), 1.5), height: BAR,
        fill: OUTCOME_COLORS[o.outcome],
        stroke: isSuspect ? COUNTEREXAMPLE_COLOR : undefined, 'stroke-width': isSuspect ? 2 : undefined,
      }, element('title', {}, escapeMarkup(describeOperation(o))));
    });
    return element('g', { class: 'lane', 'data-process': process },
      element('text', { x: LEFT - 6, y: top + LANE - 3, 'text-anchor': 'end' }, `p${process}`),
      ...ops);
  });
  const failing = input.counterexample && element('rect', {
    class: 'counterexample-window',
    x: x(input.counterexample.window.start), y: TOP - 2,
    width: Math.max(x(input.counterexample.window.end) - x(input.counterexample.window.start), 2),
    height: processes.length * LANE + 4,
    fill: 'none', stroke: COUNTEREXAMPLE_COLOR, 'stroke-dasharray': '4 3',
  }, element('title', {}, escapeMarkup(`failing window on key ${input.counterexample.key}`)));

  return element('svg', {
    xmlns: 'http://www.w3.org/2000/svg', class: 'timeline', width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`,
    'font-family': 'sans-serif', 'font-size': 10,
  }, ...axis, ...windows, ...lanes, failing ?? '');
}

/** One line a person can read: who did what, with which result, how long it took. */
export function describeOperation(o: Operation): string {
  const what = o.f === 'read' ? `read ${o.key}` : `${o.f} ${o.key} ${JSON.stringify(o.input)}`;
  const result = o.f === 'read' && o.outcome === 'ok' ? ` → ${JSON.stringify(o.output)}` : '';
  const took = o.completedAt === null ? 'still in flight' : `${((o.completedAt - o.call) / 1e6).toFixed(1)} ms`;
  return `#${o.id} p${o.process} ${what}: ${o.outcome}${result} (${took})`;
}
