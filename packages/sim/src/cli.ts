import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCli, USAGE, UsageError } from './cli-args.js';
import type { CliRequest } from './cli-args.js';
import { loadCore } from './core-api.js';
import type { SimEvent } from './events.js';
import { Simulation, SimulationFailure } from './simulation.js';
import type { SimulationOptions, SimulationSummary } from './simulation.js';
import { sweep } from './sweep.js';
import { formatEvent } from './trace.js';

/** Without --trace, the story of a run: leadership changes, commits and faults, not every role flip. */
function worthTelling(event: SimEvent): boolean {
  return event.kind !== 'role' || event.role === 'leader' || event.previous === 'leader';
}

function describeSummary(s: SimulationSummary): string {
  const live = s.liveness === undefined ? '' : `; after healing: leader in ${s.liveness.leaderAfterTicks} ticks, probe committed in ${s.liveness.committedAfterTicks}`;
  return `seed ${s.seed}, ${s.nodes} nodes: ${s.steps} steps, ${s.ticks} ticks, ${s.leaders} terms with a leader, ${s.committed} entries committed, ${s.proposals} proposals, ${s.crashes} crashes, ${s.partitions} partitions, ${s.membershipChanges} membership changes, ${s.compactions} compactions${live}`;
}

function describeFailure(f: SimulationFailure, request: CliRequest): string {
  const replay = `pnpm sim --seed ${f.seed} --nodes ${f.nodes} --steps ${request.steps}${request.core === undefined ? '' : ` --core ${request.core}`} --trace`;
  const stack = f.cause instanceof Error && f.cause.name !== 'InvariantViolation' ? `\n${f.cause.stack ?? ''}` : '';
  return `FAIL ${f.message}${stack}\n  replay: ${replay}`;
}

/** Replays one seed per cluster size, printing the trace. Returns `true` when every run passed. */
function replay(request: CliRequest, settings: Omit<SimulationOptions, 'seed' | 'nodes'>): boolean {
  let passed = true;
  for (const nodes of request.sizes) {
    const simulation = new Simulation({
      ...settings,
      seed: request.from,
      nodes,
      detail: request.trace,
      onEvent: (event) => {
        if (request.trace || worthTelling(event)) console.log(formatEvent(event));
      },
    });
    console.log(`seed ${request.from}, ${nodes} nodes, fault profile ${JSON.stringify(simulation.profile)}`);
    try {
      simulation.run(request.steps);
      simulation.checkLiveness();
      console.log(`PASS ${describeSummary(simulation.summary())}`);
    } catch (error) {
      if (!(error instanceof SimulationFailure)) throw error;
      console.log(describeFailure(error, request));
      passed = false;
    }
  }
  return passed;
}

/** Sweeps the seed range, printing failures and totals. Returns `true` when every run passed. */
function sweepSeeds(request: CliRequest, settings: Omit<SimulationOptions, 'seed' | 'nodes'>): boolean {
  const started = performance.now();
  const result = sweep({
    from: request.from,
    to: request.to,
    sizes: request.sizes,
    steps: request.steps,
    settings,
    failFast: request.failFast,
    onRun: (outcome) => {
      if (outcome instanceof SimulationFailure) {
        console.log(`${describeFailure(outcome, request)}\n  found after ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${result.runs} runs (seeds ${request.from}..${request.to} × ${request.sizes.join(',')} nodes × ${request.steps} steps): ${result.failures.length} failed, ${seconds} s`);
  return result.failures.length === 0;
}

async function main(argv: readonly string[]): Promise<number> {
  let request: CliRequest;
  try {
    request = parseCli(argv);
  } catch (error) {
    if (!(error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')))) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const settings: Omit<SimulationOptions, 'seed' | 'nodes'> = { electionTicks: request.electionTicks, heartbeatTicks: request.heartbeatTicks };
  if (request.core !== undefined) {
    try {
      // pnpm runs the script from packages/sim; resolve the path from where the user typed it.
      Object.assign(settings, { core: await loadCore(resolve(process.env['INIT_CWD'] ?? '.', request.core)) });
    } catch (error) {
      console.error(`cannot load --core ${request.core}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }
  const passed = request.from === request.to ? replay(request, settings) : sweepSeeds(request, settings);
  return passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
