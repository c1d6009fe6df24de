import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom, type Storage } from '@raft/core';
import { crashSnapshotSize, parseLine, type CrashOp } from './crash-protocol.js';
import { allowedAfterCrash, apply, describeState, fromPersisted, lastIndexOf, sameState, type CrashState } from './crash-state.js';
import { collect, isTestEntry, sameBytes, testSnapshotData } from './fixtures.js';
import { importOpenModule } from './open-module.js';

export type { CrashOpenModule } from './open-module.js';

/** Options of {@link runCrashCycles}. */
export interface CrashHarnessOptions {
  /** Absolute path or file URL of a module exporting `openStorage(dir)` (see {@link CrashOpenModule}). */
  readonly module: string | URL;
  /** Data directory, reused by every cycle. */
  readonly dir: string;
  /** How many times to SIGKILL the child. */
  readonly kills: number;
  /** Seeds every random choice: when to kill, and what the child writes. */
  readonly seed: number;
  /** A kill comes after 0 to this many acknowledged operations of a cycle. Default 40. */
  readonly maxAcksBeforeKill?: number;
  /**
   * Saves the child keeps in flight at once (acknowledged in call order). The Storage contract has
   * the runtime call one at a time, so raise it only for adapters that promise more, such as group
   * commit. Default 1.
   */
  readonly concurrency?: number;
  /** A cycle that makes no progress for this long fails. Default 60 s. */
  readonly stallTimeoutMs?: number;
}

/** What a run of the harness did. */
export interface CrashReport {
  readonly kills: number;
  /** Operations acknowledged by the children over all cycles. */
  readonly acknowledged: number;
  /** Cycles after which the operation in flight at the kill turned out to be durable (wholly or in part). */
  readonly inFlightSurvived: number;
  /** Last log index at the end. */
  readonly lastIndex: number;
}

const childExtension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const childPath = fileURLToPath(new URL(`./crash-child${childExtension}`, import.meta.url));

/** The child is killed on the first `line` of this kind printed once `count` operations were acknowledged. */
interface KillPoint {
  readonly line: 'opening' | 'ack' | 'try';
  readonly count: number;
}

/** What one cycle's child acknowledged, and what it may have left in flight. */
interface CycleOutcome {
  readonly acked: CrashState;
  /** Operations started but not acknowledged, in call order. */
  readonly pending: readonly CrashOp[];
  readonly acks: number;
}

/**
 * Crash-consistency harness: starts a child process that opens the storage and appends batches
 * (with hard states, overwrites, snapshots and compaction), SIGKILLs it at a seeded random moment,
 * reopens the directory in this process and checks that every acknowledged operation survived,
 * that every entry and the snapshot read back byte for byte, and that of what was in flight only
 * a prefix survived, in call order (the last surviving save possibly with only some of its entries
 * and without its hard state). Repeats
 * `kills` times on the same directory, so each child also recovers from the previous crash.
 *
 * @throws Error describing the first violation, with the seed and cycle to reproduce it.
 */
export async function runCrashCycles(options: CrashHarnessOptions): Promise<CrashReport> {
  const moduleUrl = options.module instanceof URL ? options.module.href : pathToFileURL(options.module).href;
  const open = await importOpenModule(moduleUrl);
  const random = seededRandom(options.seed);
  const maxAcks = options.maxAcksBeforeKill ?? 40;
  let state = (await verifyReopened(open, options.dir, [])).state;
  let acknowledged = 0;
  let inFlightSurvived = 0;
  for (let cycle = 0; cycle < options.kills; cycle++) {
    const where = `crash cycle ${cycle} (seed ${options.seed})`;
    // One cycle in ten is killed while it opens and recovers the storage; the rest after 0..maxAcks
    // acks, either at the ack itself or as the next operation starts.
    const killAt: KillPoint =
      random() < 0.1 ? { line: 'opening', count: 0 } : { line: random() < 0.5 ? 'ack' : 'try', count: Math.floor(random() * (maxAcks + 1)) };
    const outcome = await runChild(moduleUrl, options, state, options.seed * 1000 + cycle, killAt, where);
    acknowledged += outcome.acks;
    const allowed = allowedAfterCrash(outcome.acked, outcome.pending);
    const { state: recovered, error } = await verifyReopened(open, options.dir, allowed).catch((e: unknown) => {
      throw new Error(`${where}: reopening the storage after the kill failed: ${(e as Error).message}`, { cause: e });
    });
    if (error) {
      const inFlight = outcome.pending.length > 0 ? `; in flight: ${JSON.stringify(outcome.pending)}` : '';
      throw new Error(`${where}: ${error}. Last acknowledged state: ${describeState(outcome.acked)}${inFlight}`);
    }
    if (!sameState(recovered, outcome.acked)) inFlightSurvived += 1;
    state = recovered;
  }
  return { kills: options.kills, acknowledged, inFlightSurvived, lastIndex: lastIndexOf(state) };
}

/**
 * Reopens `dir`, checks every byte it loads, and that its state is one of `allowed` (any state when
 * `allowed` is empty). Always closes the storage.
 */
async function verifyReopened(
  open: (dir: string) => Storage | Promise<Storage>,
  dir: string,
  allowed: readonly CrashState[],
): Promise<{ state: CrashState; error?: string }> {
  const storage = await open(dir);
  try {
    const persisted = await storage.load();
    const state = fromPersisted(persisted);
    const badEntry = persisted.entries.find((e, i) => e.index !== state.snapshotIndex + 1 + i || !isTestEntry(e));
    if (badEntry) return { state, error: `entry ${badEntry.index} (term ${badEntry.term}) did not read back as written` };
    const snapshotError = await checkSnapshot(storage, state);
    if (snapshotError) return { state, error: snapshotError };
    if (allowed.length > 0 && !allowed.some((a) => sameState(a, state))) {
      return { state, error: `recovered ${describeState(state)}, which no crash at that moment could leave` };
    }
    return { state };
  } finally {
    await storage.close();
  }
}

/** Checks the stored snapshot matches the loaded metadata and reads back exactly. */
async function checkSnapshot(storage: Storage, state: CrashState): Promise<string | undefined> {
  const stored = await storage.readSnapshot();
  if (!stored) return state.snapshotIndex === 0 ? undefined : 'load() reported a snapshot that readSnapshot() does not have';
  if (stored.meta.index !== state.snapshotIndex || stored.meta.term !== state.snapshotTerm) {
    return `readSnapshot() gave snapshot ${stored.meta.index}@${stored.meta.term}, load() ${state.snapshotIndex}@${state.snapshotTerm}`;
  }
  const expected = testSnapshotData(stored.meta.index, stored.meta.term, crashSnapshotSize(stored.meta.index));
  if (stored.size !== expected.length || !sameBytes(await collect(stored.read()), expected)) {
    return `snapshot ${stored.meta.index} did not read back as written`;
  }
  return undefined;
}

/** Runs one child until the kill point, SIGKILLs it, and returns what it acknowledged. */
async function runChild(
  moduleUrl: string,
  options: CrashHarnessOptions,
  start: CrashState,
  seed: number,
  killAt: KillPoint,
  where: string,
): Promise<CycleOutcome> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@raft/source', childPath, moduleUrl, options.dir, String(seed), String(options.concurrency ?? 1)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const closed = once(child, 'close');
  let acked = start;
  const pending: CrashOp[] = [];
  let acks = 0;
  let killed = false;
  let failure: Error | undefined;
  const kill = (): void => {
    killed = true;
    child.kill('SIGKILL');
  };
  const fail = (what: string): void => {
    failure ??= new Error(`${where}: the crash child ${what}. Its stderr:\n${stderr}`);
    kill();
  };
  const stall = setTimeout(() => fail('made no progress'), options.stallTimeoutMs ?? 60_000);

  const lines = createInterface({ input: child.stdout });
  lines.on('line', (text) => {
    if (failure) return;
    stall.refresh();
    try {
      const line = parseLine(text);
      if (line.kind === 'try') pending.push(line.op);
      if (line.kind === 'ack') {
        const op = pending.shift();
        if (!op) throw new Error('an ack without an operation in flight');
        acked = apply(acked, op);
        acks += 1;
      }
      if (killed) return;
      if (killAt.line === 'opening' ? line.kind === 'opening' : line.kind === killAt.line && acks >= killAt.count) kill();
    } catch (e) {
      fail(`printed something unexpected (${(e as Error).message})`);
    }
  });
  const [code, signal] = (await closed) as [number | null, NodeJS.Signals | null];
  clearTimeout(stall);
  if (!failure && signal !== 'SIGKILL') fail(`exited by itself (code ${code}, signal ${signal})`);
  if (failure) throw failure;
  return { acked, pending, acks };
}
