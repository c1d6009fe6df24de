import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';

export const TRANSPORTS = ['zmq', 'nats'] as const;
export const OPERATIONS = ['put-leader', 'put-followers', 'get-leader'] as const;
export const STORAGES = ['file', 'level', 'lmdb', 'memory'] as const;
export type Operation = (typeof OPERATIONS)[number];
export type Storage = (typeof STORAGES)[number];

export const DESCRIPTIONS: Record<Operation, string> = {
  'put-leader': 'PUT → leader',
  'put-followers': 'PUT → followers (forwarded)',
  'get-leader': 'GET → leader (linearizable)',
};

/** A transport under test: its label in the results and the raft-kv `--transport` value. */
export interface Transport {
  readonly name: string;
  readonly option: string;
}

/** What the environment asks the bench to do; see `http-load.ts` for each variable. */
export interface BenchSettings {
  readonly transports: readonly Transport[];
  readonly clientCounts: readonly number[];
  readonly operations: readonly Operation[];
  readonly storage: Storage;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly rounds: number;
  readonly nodeArgs: readonly string[];
  readonly verbose: boolean;
}

/** A setting the bench cannot run with; the message names the variable and what it takes. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/**
 * Reads the bench's settings from `env`. Transport modules are resolved against `cwd` (where the
 * user ran pnpm) and must exist.
 * @throws SettingsError naming the first variable that is wrong.
 */
export function readSettings(env: Readonly<Record<string, string | undefined>>, cwd: string, exists: (path: string) => boolean = existsSync): BenchSettings {
  const list = (name: string, fallback: string): string[] =>
    (env[name] ?? fallback)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const oneOf = <T extends string>(name: string, values: readonly string[], allowed: readonly T[]): T[] => {
    const wrong = values.filter((v) => !(allowed as readonly string[]).includes(v));
    if (wrong.length > 0 || values.length === 0) {
      throw new SettingsError(`${name}: ${wrong.length > 0 ? `unknown ${wrong.join(', ')}` : 'empty'}; use ${allowed.join(', ')}`);
    }
    return values as T[];
  };
  const seconds = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!(value > 0) || !Number.isFinite(value)) throw new SettingsError(`${name}: a positive number of seconds, e.g. ${fallback}; got ${JSON.stringify(env[name])}`);
    return value * 1000;
  };
  const transport = (value: string): Transport => {
    if ((TRANSPORTS as readonly string[]).includes(value)) return { name: value, option: value };
    const path = resolve(cwd, value);
    if (!exists(path)) throw new SettingsError(`KV_BENCH_TRANSPORTS: ${value} is neither ${TRANSPORTS.join(' nor ')} nor an existing transport module (${path})`);
    return { name: basename(path).replace(/\.[cm]?js$/, ''), option: path };
  };

  const transports = list('KV_BENCH_TRANSPORTS', TRANSPORTS.join(',')).map(transport);
  if (transports.length === 0) throw new SettingsError(`KV_BENCH_TRANSPORTS: empty; use ${TRANSPORTS.join(', ')} or a module path`);
  const clientCounts = list('KV_BENCH_CLIENTS', '1,16,64').map(Number);
  if (clientCounts.length === 0 || !clientCounts.every((n) => Number.isInteger(n) && n > 0)) {
    throw new SettingsError('KV_BENCH_CLIENTS: a comma-separated list of positive integers, e.g. 1,16,64');
  }
  const rounds = Number(env['KV_BENCH_ROUNDS'] ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new SettingsError(`KV_BENCH_ROUNDS: a positive integer (how many times to run everything, transports taking turns), got ${JSON.stringify(env['KV_BENCH_ROUNDS'])}`);
  }
  return {
    transports,
    clientCounts,
    operations: oneOf('KV_BENCH_OPS', list('KV_BENCH_OPS', OPERATIONS.join(',')), OPERATIONS),
    storage: oneOf('KV_BENCH_STORAGE', [env['KV_BENCH_STORAGE'] ?? 'file'], STORAGES)[0]!,
    durationMs: seconds('KV_BENCH_SECONDS', 5),
    warmupMs: seconds('KV_BENCH_WARMUP_SECONDS', 1),
    rounds,
    nodeArgs: (env['KV_BENCH_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean),
    verbose: env['KV_BENCH_VERBOSE'] === '1',
  };
}
