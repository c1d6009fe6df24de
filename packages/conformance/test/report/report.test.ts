import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistory, parseHistory } from '../../src/index.js';
import type { HistoryEvent, JsonValue, NemesisEvent } from '../../src/index.js';
import { injectStaleRead, simulateRegisterHistory } from '../../src/history/simulate.js';
import { OUTCOME_COLORS, renderReport, writeRunArtifacts } from '../../src/report/index.js';
import { findAll, hasClass, parseMarkup, textOf } from '../support/markup.js';

const simulated = simulateRegisterHistory({ seed: 7, operations: 600, processes: 10, keys: 3, infoRate: 0.05 });
const corrupted = injectStaleRead(simulated, 7)!.events;

/** The simulated history with a partition shaded over its middle third. */
function withPartition(events: readonly HistoryEvent[]): HistoryEvent[] {
  const end = events.at(-1)!.time;
  const start: NemesisEvent = { process: 'nemesis', type: 'info', f: 'start-partition', value: { halves: [[1], [2, 3]] }, time: end / 3 };
  const stop: NemesisEvent = { process: 'nemesis', type: 'info', f: 'stop-partition', time: (2 * end) / 3 };
  return [...events, start, stop].sort((a, b) => a.time - b.time);
}

function render(events: readonly HistoryEvent[]) {
  const report = renderReport(events, checkHistory(events), { transport: 'zmq', seed: 7 });
  return { ...report, document: parseMarkup(report.html) };
}

describe('the HTML report', () => {
  it('draws one lane per client process and every operation coloured by its outcome', () => {
    const { document } = render(withPartition(simulated));
    const timeline = findAll(document, (e) => e.tag === 'svg' && hasClass(e, 'timeline'))[0]!;
    const processes = new Set(simulated.map((e) => e.process));
    expect(findAll(timeline, (e) => hasClass(e, 'lane'))).toHaveLength(processes.size);
    const bars = findAll(timeline, (e) => hasClass(e, 'op'));
    expect(bars).toHaveLength(simulated.filter((e) => e.type === 'invoke').length);
    for (const outcome of ['ok', 'fail', 'info'] as const) {
      const coloured = bars.filter((b) => b.attributes['data-outcome'] === outcome);
      expect(coloured.length).toBeGreaterThan(0);
      expect(new Set(coloured.map((b) => b.attributes.fill))).toEqual(new Set([OUTCOME_COLORS[outcome]]));
    }
  });

  it('says the verdict, shades the fault window in every figure and has no counterexample for a valid history', () => {
    const { document, summary } = render(withPartition(simulated));
    expect(summary.verdict).toBe('valid');
    expect(textOf(findAll(document, (e) => hasClass(e, 'verdict'))[0]!)).toMatch(/^Linearizable/);
    const shaded = findAll(document, (e) => hasClass(e, 'nemesis-window'));
    expect(shaded).toHaveLength(3);
    expect(shaded.every((e) => e.attributes['data-fault'] === 'partition')).toBe(true);
    expect(findAll(document, (e) => hasClass(e, 'counterexample'))).toHaveLength(0);
    expect(findAll(document, (e) => e.tag === 'svg' && (hasClass(e, 'latency') || hasClass(e, 'throughput')))).toHaveLength(2);
  });

  it('highlights the checker’s counterexample on the timeline of an invalid history', () => {
    const { document, summary } = render(corrupted);
    const check = checkHistory(corrupted);
    expect(summary.verdict).toBe('invalid');
    expect(textOf(findAll(document, (e) => hasClass(e, 'verdict'))[0]!)).toMatch(/^NOT linearizable/);
    const outlined = findAll(document, (e) => hasClass(e, 'op') && hasClass(e, 'counterexample'));
    expect(outlined.map((e) => Number(e.attributes['data-op'])).sort((a, b) => a - b)).toEqual(
      check.counterexample!.unlinearizable.map((o) => o.id).sort((a, b) => a - b),
    );
    const blocked = findAll(document, (e) => hasClass(e, 'blocked') && hasClass(e, 'op'));
    expect(blocked.map((e) => Number(e.attributes['data-op']))).toEqual([check.counterexample!.blocked.id]);
    expect(findAll(document, (e) => hasClass(e, 'counterexample-window'))).toHaveLength(1);
    expect(summary.counterexample?.key).toBe(check.counterexample!.key);
  });

  it('lists the run\'s facts as text: a list by its items, an empty one as "none"', () => {
    const facts = (run: Record<string, JsonValue>): Map<string, string> => {
      const document = parseMarkup(renderReport(simulated, checkHistory(simulated), run).html);
      return new Map(findAll(document, (e) => e.tag === 'tr').map((row) => [textOf(row.children[0]!), textOf(row.children[1]!)] as const));
    };
    expect(facts({ transport: 'zmq', problems: [] }).get('problems')).toBe('none');
    const problems = ['node 2 exited on its own (code 1, signal null)', 'the run stopped early: boom'];
    expect(facts({ transport: 'zmq', problems }).get('problems')).toBe(problems.join('; '));
    expect(facts({ transport: 'zmq', problems }).get('transport')).toBe('zmq');
  });

  it('is self-contained: no script, stylesheet link, image or external URL', () => {
    const { html, document } = render(corrupted);
    expect(findAll(document, (e) => ['script', 'link', 'img', 'iframe'].includes(e.tag))).toHaveLength(0);
    expect(html.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/(https?:)?\/\/[a-z]/i);
  });
});

describe('writeRunArtifacts', () => {
  it('writes the raw history, summary.json and report.html, and checks the history', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raft-report-'));
    try {
      const artifacts = await writeRunArtifacts(dir, corrupted, { seed: 7 });
      expect(artifacts.check.valid).toBe(false);
      const reread = parseHistory(await readFile(artifacts.historyPath, 'utf8'));
      expect(reread.events).toEqual(corrupted);
      const summary = JSON.parse(await readFile(artifacts.summaryPath, 'utf8')) as { verdict: string; operations: { total: number }; run: unknown };
      expect(summary).toMatchObject({ verdict: 'invalid', operations: { total: 600 }, run: { seed: 7 } });
      parseMarkup(await readFile(artifacts.reportPath, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
