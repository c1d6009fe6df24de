import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS, type Fault } from '@raft/conformance';

/** A bad command line; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The transports and storages the runner knows by name (a path names a third party's module). */
export const TRANSPORTS = ['zmq', 'nats', 'memory'] as const;
export const STORAGES = ['file', 'level', 'lmdb', 'memory'] as const;
/** raft-kv's `--read-mode` values. */
export const READ_MODES = ['safe', 'lease'] as const;
export type ReadMode = (typeof READ_MODES)[number];

/** One run's configuration (the matrix of `--all` is many of these). */
export interface RunConfig {
  /** `zmq`, `nats`, or an absolute module path. */
  readonly transport: string;
  /** `file`, `lmdb`, `memory`, or an absolute module path. */
  readonly storage: string;
  readonly nodes: number;
  readonly seconds: number;
  readonly faults: readonly Fault[];
  readonly seed: number;
  readonly clients: number;
  readonly keys: number;
  readonly rate: number;
  readonly staleReads: boolean;
  /** How the leader confirms a linearizable read: a heartbeat round (`safe`) or its lease. */
  readonly readMode: ReadMode;
  /** Applied entries between snapshots on every node (so runs exercise compaction and InstallSnapshot). */
  readonly snapshotEntries: number;
}

/** The whole command line. */
export interface CliOptions {
  readonly run: RunConfig;
  /** Run the whole matrix (every transport × storage) instead of one configuration. */
  readonly all: boolean;
  readonly out: string;
  /** A NATS server to use instead of starting one. */
  readonly nats: string | undefined;
  /** Print the nodes' logs. */
  readonly verbose: boolean;
}

export const USAGE = `usage: pnpm conformance [options]

Runs a raft-kv cluster as OS processes, drives a register workload against it while faults are
injected, checks the history for linearizability and writes report.html, summary.json and
history.jsonl. Exits 0 only when the history is linearizable and the cluster recovered.

  --transport zmq|nats|memory|<module>   default zmq; a path loads a module exporting
                                  createTransport(id, peers, context) (see docs/adapters.md);
                                  memory runs every node inside the runner's process (no pause)
  --storage file|level|lmdb|memory|<module>   default file; a path: a module exporting createStorage(dir)
  --nodes <n>            cluster size, 3 to 9, default 3
  --time <seconds>       workload duration under faults, default 30
  --nemesis <list>       faults: ${FAULTS.join(',')} or none, default partition,kill
  --seed <n>             seeds every random choice, default random (printed)
  --clients <n>          concurrent clients, default 10
  --keys <n>             registers, default 5
  --rate <ops/s>         target operations per second over all clients, default 100
  --stale-reads          read with ?consistency=stale: NOT linearizable, proves the checker bites
  --read-mode safe|lease how nodes confirm linearizable reads, default safe (a heartbeat round
                                  per read); lease trusts every node's clock to run at the same
                                  rate, which a paused process's does not: with the pause nemesis
                                  a stale read becomes possible, if rare
  --snapshot-entries <n> nodes snapshot every n applied entries, default 200
  --all                  the whole matrix: zmq, nats and memory × file, level, lmdb and memory
  --out <dir>            where reports go, default ./conformance-results/<time>
  --nats <url>           use this NATS server instead of starting one
  --verbose              print the nodes' logs`;

/** Parses and validates the command line. @throws UsageError naming what is wrong. */
export function parseCliOptions(argv: readonly string[], now = new Date()): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        transport: { type: 'string', default: 'zmq' },
        storage: { type: 'string', default: 'file' },
        nodes: { type: 'string', default: '3' },
        time: { type: 'string', default: '30' },
        nemesis: { type: 'string', default: 'partition,kill' },
        seed: { type: 'string' },
        clients: { type: 'string', default: '10' },
        keys: { type: 'string', default: '5' },
        rate: { type: 'string', default: '100' },
        'stale-reads': { type: 'boolean', default: false },
        'read-mode': { type: 'string', default: 'safe' },
        'snapshot-entries': { type: 'string', default: '200' },
        all: { type: 'boolean', default: false },
        out: { type: 'string' },
        nats: { type: 'string' },
        verbose: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  const nodes = integer('--nodes', v.nodes, 3, 9);
  const faults = v.nemesis === 'none' ? [] : v.nemesis.split(',').map((f) => oneOf('--nemesis', f.trim(), FAULTS, ' (or none)'));
  const run: RunConfig = {
    transport: adapter('--transport', v.transport, TRANSPORTS),
    storage: adapter('--storage', v.storage, STORAGES),
    nodes,
    seconds: integer('--time', v.time, 1, 24 * 3600),
    faults: [...new Set(faults)],
    seed: v.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : integer('--seed', v.seed, 0, 2 ** 32 - 1),
    clients: integer('--clients', v.clients, 1, 1000),
    keys: integer('--keys', v.keys, 1, 1000),
    rate: integer('--rate', v.rate, 1, 100_000),
    staleReads: v['stale-reads'],
    readMode: oneOf('--read-mode', v['read-mode'], READ_MODES, ''),
    snapshotEntries: integer('--snapshot-entries', v['snapshot-entries'], 0, 10_000_000),
  };
  if (!v.all) checkCombination(run);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return { run, all: v.all, out: resolve(v.out ?? `conformance-results/${stamp}`), nats: v.nats, verbose: v.verbose };
}

/**
 * Refuses a combination that cannot be correct by construction. @throws UsageError saying why.
 */
export function checkCombination(run: RunConfig): void {
  if (run.transport === 'memory') {
    if (run.faults.includes('pause')) {
      throw new UsageError('--transport memory runs every node inside one process, which cannot freeze part of itself; drop pause from --nemesis, or use zmq or nats');
    }
    if (run.storage !== 'memory' && run.storage !== 'file') {
      throw new UsageError('--transport memory runs nodes in the runner\'s process with memory or file storage only; use --storage memory or --storage file, or run over zmq or nats for the other storages');
    }
    return;
  }
  if (run.storage === 'memory' && run.faults.includes('kill')) {
    throw new UsageError(
      '--storage memory with the kill nemesis: a killed process forgets its log and its vote, which breaks Raft by design; ' +
        'use durable storage (file, lmdb), drop kill from --nemesis, or run in one process with --transport memory ' +
        '(where memory storage keeps what it made durable across a simulated crash)',
    );
  }
}

function adapter(flag: string, text: string, names: readonly string[]): string {
  if (text.startsWith('.') || text.startsWith('/')) return resolve(text);
  return oneOf(flag, text, names, ' or a module path');
}

/** `text` if it is one of `allowed`; `otherwise` names what else the flag accepts, for the error. */
function oneOf<const T extends string>(flag: string, text: string, allowed: readonly T[], otherwise: string): T {
  if (!(allowed as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}${otherwise}; got "${text}"`);
  return text as T;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value < min || value > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}; got "${text}"`);
  return value;
}
