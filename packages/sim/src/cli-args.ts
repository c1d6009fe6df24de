import { parseArgs } from 'node:util';

/** What the `sim` command was asked to do. */
export interface CliRequest {
  readonly from: number;
  readonly to: number;
  readonly sizes: readonly number[];
  readonly steps: number;
  readonly trace: boolean;
  readonly failFast: boolean;
  readonly core: string | undefined;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
}

/** The command's help text. */
export const USAGE = `usage: pnpm sim [--seed N | --seeds A..B] [--nodes K[,K...]] [--steps S] [--trace] [--core PATH] [--fail-fast]
  --seed N            replay one seed and print what happened (default 1)
  --seeds A..B        sweep seeds A to B inclusive; prints failures only
  --nodes K[,K...]    cluster size(s) (default 5; a sweep runs every seed on every size)
  --steps S           scheduler steps per run before the liveness check (default 2000)
  --trace             with --seed: also print every tick, message sent, delivered and lost
  --core PATH         drive the RawNode exported by this module instead of @raft/core's
  --fail-fast         stop a sweep at its first failure
  --election-ticks T  election timeout base (default 10)
  --heartbeat-ticks H heartbeat interval (default 2)`;

/** A command line the `sim` command cannot act on; the message says what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the `sim` command line. @throws UsageError */
export function parseCli(argv: readonly string[]): CliRequest {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    strict: true,
    options: {
      seed: { type: 'string' },
      seeds: { type: 'string' },
      nodes: { type: 'string', default: '5' },
      steps: { type: 'string', default: '2000' },
      trace: { type: 'boolean', default: false },
      'fail-fast': { type: 'boolean', default: false },
      core: { type: 'string' },
      'election-ticks': { type: 'string', default: '10' },
      'heartbeat-ticks': { type: 'string', default: '2' },
    },
  });
  if (values.seed !== undefined && values.seeds !== undefined) throw new UsageError('give either --seed or --seeds, not both');
  const [from, to] = values.seeds === undefined ? [1, 1].map(() => integer('--seed', values.seed ?? '1', 0)) : seedRange(values.seeds);
  const electionTicks = integer('--election-ticks', values['election-ticks'], 2);
  const heartbeatTicks = integer('--heartbeat-ticks', values['heartbeat-ticks'], 1);
  if (heartbeatTicks >= electionTicks) throw new UsageError(`--heartbeat-ticks (${heartbeatTicks}) must be below --election-ticks (${electionTicks})`);
  return {
    from: from as number,
    to: to as number,
    sizes: values.nodes.split(',').map((k) => integer('--nodes', k, 1)),
    steps: integer('--steps', values.steps, 0),
    trace: values.trace,
    failFast: values['fail-fast'],
    core: values.core,
    electionTicks,
    heartbeatTicks,
  };
}

function seedRange(text: string): [number, number] {
  const match = /^(\d+)\.\.(\d+)$/.exec(text);
  if (match === null) throw new UsageError(`--seeds takes a range A..B such as 1..500, got "${text}"`);
  const [from, to] = [Number(match[1]), Number(match[2])];
  if (from > to) throw new UsageError(`--seeds ${text} is empty: the first seed must not exceed the last`);
  return [from, to];
}

function integer(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag} takes an integer ≥ ${min}, got "${text}"`);
  return value;
}
