/**
 * `pnpm conformance`: the conformance suite against raft-kv clusters (see `--help`). Exit codes:
 * 0 when every run's history is linearizable and the cluster recovered, 1 otherwise, 2 on a bad
 * command line.
 */
import { join } from 'node:path';
import { NatsServer } from '@raft/transport-nats/testing';
import { matrix, writeMatrixIndex } from './matrix.js';
import { parseCliOptions, USAGE, UsageError, type CliOptions, type RunConfig } from './options.js';
import { configName, runOne, type RunOutcome } from './run-one.js';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let options: CliOptions;
  let configs: RunConfig[];
  try {
    options = parseCliOptions(argv);
    configs = options.all ? matrix(options.run) : [options.run];
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`raft-conformance: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  // NATS runs need a server; the runner starts its own on free loopback ports unless given one.
  const nats = options.nats === undefined && configs.some((c) => c.transport === 'nats') ? await NatsServer.start() : undefined;
  const outcomes: RunOutcome[] = [];
  try {
    for (const config of configs) {
      const dir = options.all ? join(options.out, configName(config)) : options.out;
      console.log(`${configName(config)}: ${config.nodes} nodes, ${config.seconds} s, nemesis ${config.faults.join(',') || 'none'}, seed ${config.seed} → ${dir}`);
      const outcome = await runOne(config, { dir, natsUrl: config.transport === 'nats' ? (options.nats ?? nats!.url) : undefined, verbose: options.verbose });
      outcomes.push(outcome);
      report(outcome);
    }
  } finally {
    await nats?.stop();
  }
  if (options.all) {
    await writeMatrixIndex(options.out, outcomes);
    console.log(`matrix: ${outcomes.filter((o) => o.passed).length}/${outcomes.length} passed; ${join(options.out, 'index.html')}`);
  }
  return outcomes.every((o) => o.passed) ? 0 : 1;
}

function report(outcome: RunOutcome): void {
  const { summary } = outcome;
  const ops = summary.operations;
  console.log(
    `${configName(outcome.config)}: ${summary.verdict.toUpperCase()} — ${ops.total} operations (${ops.ok} ok, ${ops.fail} fail, ${ops.info} info); ` +
      `report ${join(outcome.dir, 'report.html')}`,
  );
  if (summary.counterexample) console.log(`  counterexample on ${summary.counterexample.key}: ${summary.counterexample.blocked}`);
  for (const problem of outcome.problems) console.log(`  problem: ${problem}`);
}

process.exitCode = await main(process.argv.slice(2));
