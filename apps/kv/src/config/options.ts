import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.js';

/** The transports `raft-kv` can run over. */
export const TRANSPORTS = ['zmq', 'nats', 'memory'] as const;
/** The storage engines `raft-kv` can keep its log in. */
export const STORAGES = ['file', 'level', 'lmdb', 'memory'] as const;

/**
 * A transport or storage named by the path of a module (a third party's adapter) instead of a
 * built-in name: any `--transport`/`--storage` value that starts with `.` or `/`. The module
 * exports `createTransport(id, peers, context)` or `createStorage(dir)`; see `AdapterModule`.
 */
export interface AdapterModulePath {
  readonly module: string;
}

/** Where one cluster member can be reached. */
export interface MemberAddress {
  /** ZeroMQ endpoint of its Raft transport, e.g. `tcp://127.0.0.1:9001` (zmq only). */
  readonly raft?: string;
  /** Base URL of its HTTP API, e.g. `http://127.0.0.1:8001`; used to forward requests to the leader. */
  readonly http: string;
}

/** A fully validated `raft-kv` configuration. */
export interface KvOptions {
  readonly id: number;
  readonly peers: readonly number[];
  readonly transport: (typeof TRANSPORTS)[number] | AdapterModulePath;
  readonly storage: (typeof STORAGES)[number] | AdapterModulePath;
  readonly dataDir: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly members: ReadonlyMap<number, MemberAddress>;
  readonly clusterId: string;
  readonly natsServers: readonly string[];
  readonly natsPrefix: string;
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly readMode: 'safe' | 'lease';
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** Enables the dashboard's fault-injection controls. Never on by default. */
  readonly demo: boolean;
  /** Start outside the configuration and wait to be added (`POST /v1/members/:id` on the leader). */
  readonly join: boolean;
  /** Applied entries between snapshots (0: never). */
  readonly snapshotEntries: number;
  readonly logLevel: string;
}

/** Conventional ports when no cluster file says otherwise: HTTP 8000+id, Raft 9000+id. */
const HTTP_BASE_PORT = 8000;
const RAFT_BASE_PORT = 9000;

const USAGE = `usage: raft-kv --id <n> --peers <n,n,...> [options]

  --id <n>                 this node's id (positive integer)
  --peers <list>           the other members' ids, e.g. 2,3,4,5
  --transport zmq|nats|<module>   default zmq; a path (./my-transport.js) loads a module
                           exporting createTransport(id, peers, {clusterId, members})
  --storage file|level|lmdb|memory|<module>   default file; a path loads a module exporting
                           createStorage(dataDir)
  --data-dir <dir>         default ./.raft-data/node-<id>
  --listen <host:port>     HTTP API address, default 127.0.0.1:<8000+id>
  --cluster <file>         JSON {"members": {"1": {"raft": "tcp://127.0.0.1:9001", "http": "http://127.0.0.1:8001"}}}
  --cluster-id <name>      refuse messages from other clusters, default raft-kv
  --nats <url,url,...>     NATS servers, default nats://127.0.0.1:4222
  --nats-prefix <subject>  default raft
  --tick-ms <ms>           default 20
  --election-ticks <n>     default 10
  --heartbeat-ticks <n>    default 2
  --read-mode safe|lease   default safe
  --max-body <bytes>       default 1048576
  --timeout-ms <ms>        request timeout, default 5000
  --join                   join a running cluster: wait for the leader to add this node
                           (POST /v1/members/<id> {"as":"learner"}); --peers lists the members
  --snapshot-entries <n>   snapshot and compact the log every n applied entries, default 10000
                           (0: never)
  --demo                   enable fault-injection controls (kill, partition) for the dashboard
  --log-level <level>      pino level, default info`;

/** The usage text printed with `--help` and after a configuration error. */
export function usage(): string {
  return USAGE;
}

/**
 * Parses and validates `raft-kv` flags. Throws {@link ConfigError} with a precise message on any
 * invalid or missing value; nothing is started on a bad configuration.
 */
export function parseKvOptions(argv: readonly string[]): KvOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        id: { type: 'string' },
        peers: { type: 'string' },
        transport: { type: 'string', default: 'zmq' },
        storage: { type: 'string', default: 'file' },
        'data-dir': { type: 'string' },
        listen: { type: 'string' },
        cluster: { type: 'string' },
        'cluster-id': { type: 'string', default: 'raft-kv' },
        nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
        'nats-prefix': { type: 'string', default: 'raft' },
        'tick-ms': { type: 'string', default: '20' },
        'election-ticks': { type: 'string', default: '10' },
        'heartbeat-ticks': { type: 'string', default: '2' },
        'read-mode': { type: 'string', default: 'safe' },
        'max-body': { type: 'string', default: String(1024 * 1024) },
        'timeout-ms': { type: 'string', default: '5000' },
        demo: { type: 'boolean', default: false },
        join: { type: 'boolean', default: false },
        'snapshot-entries': { type: 'string', default: '10000' },
        'log-level': { type: 'string', default: 'info' },
      },
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}; run raft-kv --help for the flags`);
  }
  const v = parsed.values;
  if (v.id === undefined) throw new ConfigError('--id is required (a positive integer naming this node)');
  const id = positiveInteger('--id', v.id);
  if (v.peers === undefined) throw new ConfigError('--peers is required (the other members\' ids, e.g. --peers 2,3)');
  const peers = v.peers === '' ? [] : v.peers.split(',').map((p) => positiveInteger('--peers', p.trim()));
  if (peers.includes(id)) throw new ConfigError(`--peers lists this node's own id ${id}; list only the other members`);
  if (new Set(peers).size !== peers.length) throw new ConfigError(`--peers lists an id twice: ${v.peers}`);

  const transport = adapterModule(v.transport) ?? oneOf('--transport', v.transport, TRANSPORTS);
  const storage = adapterModule(v.storage) ?? oneOf('--storage', v.storage, STORAGES);
  const tickMs = positiveInteger('--tick-ms', v['tick-ms']);
  const electionTicks = positiveInteger('--election-ticks', v['election-ticks']);
  const heartbeatTicks = positiveInteger('--heartbeat-ticks', v['heartbeat-ticks']);
  if (heartbeatTicks >= electionTicks) {
    throw new ConfigError(`--heartbeat-ticks (${heartbeatTicks}) must be smaller than --election-ticks (${electionTicks}), or followers time out between heartbeats`);
  }
  const members = v.cluster !== undefined ? readClusterFile(v.cluster) : conventionalMembers([id, ...peers]);
  for (const member of [id, ...peers]) {
    const address = members.get(member);
    if (!address) throw new ConfigError(`cluster file ${v.cluster} has no entry for member ${member}; add "${member}": {"raft": ..., "http": ...}`);
    if (transport === 'zmq' && !address.raft) {
      throw new ConfigError(`member ${member} has no "raft" address in ${v.cluster}; the zmq transport needs one (e.g. "tcp://127.0.0.1:${RAFT_BASE_PORT + member}")`);
    }
  }
  const listen = v.listen !== undefined ? hostPort('--listen', v.listen) : hostPort('the HTTP address', new URL(members.get(id)!.http).host);
  return {
    id,
    peers,
    transport,
    storage,
    dataDir: v['data-dir'] ?? `./.raft-data/node-${id}`,
    listen,
    members,
    clusterId: nonEmpty('--cluster-id', v['cluster-id']),
    natsServers: v.nats.split(',').map((s) => nonEmpty('--nats', s.trim())),
    natsPrefix: nonEmpty('--nats-prefix', v['nats-prefix']),
    tickMs,
    electionTicks,
    heartbeatTicks,
    readMode: oneOf('--read-mode', v['read-mode'], ['safe', 'lease'] as const),
    maxBodyBytes: positiveInteger('--max-body', v['max-body']),
    requestTimeoutMs: positiveInteger('--timeout-ms', v['timeout-ms']),
    demo: v.demo,
    join: v.join,
    snapshotEntries: nonNegativeInteger('--snapshot-entries', v['snapshot-entries']),
    logLevel: oneOf('--log-level', v['log-level'], ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  };
}

/** Addresses by convention: HTTP on 127.0.0.1:8000+id, ZeroMQ on 127.0.0.1:9000+id. */
export function conventionalMembers(ids: readonly number[]): Map<number, MemberAddress> {
  return new Map(
    ids.map((id) => [id, { raft: `tcp://127.0.0.1:${RAFT_BASE_PORT + id}`, http: `http://127.0.0.1:${HTTP_BASE_PORT + id}` }]),
  );
}

/** Reads and validates a cluster file (see {@link usage}). */
export function readClusterFile(path: string): Map<number, MemberAddress> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read cluster file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`cluster file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const membersJson = (json as { members?: unknown } | null)?.members;
  if (typeof membersJson !== 'object' || membersJson === null || Array.isArray(membersJson)) {
    throw new ConfigError(`cluster file ${path} needs a "members" object mapping ids to {"raft", "http"} addresses`);
  }
  const members = new Map<number, MemberAddress>();
  for (const [key, value] of Object.entries(membersJson)) {
    const where = `cluster file ${path}, member "${key}"`;
    const id = positiveInteger(where, key);
    const entry = value as { raft?: unknown; http?: unknown } | null;
    if (typeof entry?.http !== 'string') throw new ConfigError(`${where}: "http" must be a URL string like "http://127.0.0.1:8001"`);
    url(`${where} "http"`, entry.http, ['http:']);
    if (entry.raft !== undefined && typeof entry.raft !== 'string') throw new ConfigError(`${where}: "raft" must be a string like "tcp://127.0.0.1:9001"`);
    if (typeof entry.raft === 'string') url(`${where} "raft"`, entry.raft, ['tcp:']);
    members.set(id, typeof entry.raft === 'string' ? { raft: entry.raft, http: entry.http } : { http: entry.http });
  }
  return members;
}

function adapterModule(text: string): AdapterModulePath | undefined {
  return text.startsWith('.') || text.startsWith('/') ? { module: resolve(text) } : undefined;
}

function positiveInteger(what: string, text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new ConfigError(`${what} must be a positive integer, got "${text}"`);
  }
  return Number(text);
}

function nonNegativeInteger(what: string, text: string): number {
  return text === '0' ? 0 : positiveInteger(what, text);
}

function oneOf<const T extends readonly string[]>(what: string, text: string, allowed: T): T[number] {
  if (!allowed.includes(text)) throw new ConfigError(`${what} must be one of ${allowed.join(', ')}; got "${text}"`);
  return text as T[number];
}

function nonEmpty(what: string, text: string): string {
  if (text === '') throw new ConfigError(`${what} must not be empty`);
  return text;
}

function hostPort(what: string, text: string): { host: string; port: number } {
  const match = /^(.*):([0-9]+)$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || !match[1] || port < 1 || port > 65535) throw new ConfigError(`${what} must be host:port (port 1–65535), got "${text}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function url(what: string, text: string, protocols: readonly string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${what} is not a URL: "${text}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${what} must use ${protocols.join(' or ')}, got "${text}"`);
  return parsed;
}
