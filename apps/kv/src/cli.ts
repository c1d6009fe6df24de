#!/usr/bin/env node
/**
 * `raft-kv`: one node of the replicated key-value service. `raft-kv --help` lists the flags.
 * Exit codes: 0 after a clean stop (SIGTERM/SIGINT), 1 when the node failed, 2 on a bad configuration.
 */
import { pino } from 'pino';
import { ConfigError } from './config/config-error.js';
import { parseKvOptions, usage, type KvOptions } from './config/options.js';
import { startKvNode } from './node/kv-node.js';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  let options: KvOptions;
  try {
    options = parseKvOptions(argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`raft-kv: ${error.message}`);
    return 2;
  }
  const logger = pino({ level: options.logLevel, base: { node: options.id } });
  let running;
  try {
    running = await startKvNode(options, logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`raft-kv: ${error.message}`);
      return 2;
    }
    logger.fatal({ err: error }, 'raft-kv could not start');
    return 1;
  }
  const { node } = running;
  const stop = (signal: string) => {
    logger.info(`${signal}: stopping`);
    void running.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping failed'));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  try {
    await node.stopped;
    return 0;
  } catch (error) {
    logger.fatal({ err: error }, 'the Raft node failed and stopped');
    await running.stop().catch(() => {});
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
