import { DESCRIPTIONS, type Operation, type Storage } from './settings.js';

/** One measurement: a transport, an operation and a client count, in one round. */
export interface Result {
  readonly transport: string;
  readonly operation: Operation;
  readonly clients: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** 1-minute load average at the end of the measurement: other work on the machine shows here. */
  readonly load: number;
  /** CPU this load generator used while measuring, in cores: CPU the cluster could not have. */
  readonly clientCpu: number;
  /** Mean `storage.save()` (write + fdatasync) time on the leader during the measurement, from its /metrics. */
  readonly leaderSaveMs: number;
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The results of one transport × operation × client count over every round. */
export interface Cell {
  readonly transport: string;
  readonly operation: Operation;
  readonly clients: number;
  readonly runs: readonly Result[];
}

/** Groups results by transport, operation and client count, in the order they were first met. */
export function cells(results: readonly Result[]): Cell[] {
  const byKey = new Map<string, Cell & { runs: Result[] }>();
  for (const r of results) {
    const key = `${r.transport}|${r.operation}|${r.clients}`;
    const cell = byKey.get(key);
    if (cell === undefined) byKey.set(key, { transport: r.transport, operation: r.operation, clients: r.clients, runs: [r] });
    else cell.runs.push(r);
  }
  return [...byKey.values()];
}

/** The median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `pick` over a cell's runs, with the range after it when there was more than one. */
export function spread(cell: Cell, pick: (r: Result) => number, digits: number): string {
  const values = cell.runs.map(pick);
  const text = fmt(median(values), digits);
  return values.length === 1 ? text : `${text} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
}

/** The results as an aligned text table, one row per cell; ratios are to `fsync` (raw syncs/s). */
export function resultsTable(results: readonly Result[], fsync: number): string {
  const header = ['transport', 'operation', 'clients', 'ops/s', '÷ raw fsync/s', 'p50 ms', 'p99 ms', 'leader save ms', 'client cpu', 'errors', 'load'];
  const rows = cells(results).map((c) => {
    const saveMs = median(c.runs.map((r) => r.leaderSaveMs));
    return [
      c.transport,
      DESCRIPTIONS[c.operation],
      String(c.clients),
      spread(c, (r) => r.opsPerSecond, 0),
      `${fmt(median(c.runs.map((r) => r.opsPerSecond)) / fsync, 2)}×`,
      spread(c, (r) => r.p50Ms, 2),
      fmt(median(c.runs.map((r) => r.p99Ms)), 2),
      Number.isFinite(saveMs) ? fmt(saveMs, 2) : '–',
      fmt(median(c.runs.map((r) => r.clientCpu)), 2),
      String(c.runs.reduce((n, r) => n + r.errors, 0)),
      fmt(median(c.runs.map((r) => r.load)), 1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => row.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The lines that hold the results against the issue's targets (set for file storage). */
export function targetLines(results: readonly Result[], storage: Storage, rounds: number): string[] {
  const lines: string[] = [];
  if (rounds > 1) lines.push(`${rounds} rounds, transports taking turns: medians, with the range in parentheses (p99, save, cpu and load: medians)`);
  const all = cells(results);
  const writes64 = all.filter((c) => c.clients === 64 && c.operation !== 'get-leader');
  const single = all.filter((c) => c.clients === 1 && c.operation === 'put-leader');
  if (storage !== 'file') lines.push('the targets below are set for file storage');
  if (writes64.length > 0) {
    const rate = (c: Cell): number => median(c.runs.map((r) => r.opsPerSecond));
    const best = writes64.reduce((a, b) => (rate(a) >= rate(b) ? a : b));
    lines.push(`target ≥ 10,000 writes/s at 64 clients: best ${spread(best, (r) => r.opsPerSecond, 0)}/s (${best.transport}, ${DESCRIPTIONS[best.operation]})`);
  }
  if (single.length > 0) lines.push(`target write p50 < 1 ms at 1 client: ${single.map((c) => `${c.transport} ${spread(c, (r) => r.p50Ms, 2)} ms`).join(', ')}`);
  return lines;
}
