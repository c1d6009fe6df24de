import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Storage } from '@raft/core';
import { FileStorage } from '@raft/storage-file';
import { MemoryStorage } from '@raft/storage-memory';
import { MemoryNetwork } from '@raft/transport-memory';
import { pino } from 'pino';
import { parseKvOptions } from '../config/options.js';
import { FaultSwitch, type NetworkFaults } from '../node/fault-switch.js';
import { startKvNode, type RunningKvNode } from '../node/kv-node.js';
import type { KvStatus } from '../kv/service.js';
import { waitForAgreedLeader } from './agreed-leader.js';
import { freePorts } from './free-ports.js';

/** Options of {@link MemoryKvCluster.start}. */
export interface MemoryClusterOptions {
  readonly nodes: number;
  /** `memory` (kept across a simulated crash: what was durable survives) or `file`. */
  readonly storage: 'memory' | 'file';
  /** File storage goes to `<dataDir>/node-<id>`; the cluster file is written here too. */
  readonly dataDir: string;
  /** Extra raft-kv flags for every node (`--tick-ms`, `--snapshot-entries`, ...). */
  readonly nodeArgs?: readonly string[];
  /** Receives every log line of a node (JSON). */
  readonly onNodeOutput?: (id: number, line: string) => void;
}

interface Member {
  readonly id: number;
  readonly http: string;
  /** Outlives the node's crashes, as a network fault outlives a process. */
  faults: NetworkFaults;
  /** The running node's link to the network. */
  link: FaultSwitch | undefined;
  running: RunningKvNode | undefined;
  storage: Storage | undefined;
}

/**
 * raft-kv nodes inside this process, linked by a `MemoryNetwork` (`--transport memory`), each
 * serving the KV HTTP API on its own loopback port. It offers the controls of `LocalKvCluster`
 * that make sense in one process: a crash (the node stops at once and restarts from what its
 * storage made durable) and a faulty network; a process cannot freeze part of itself, so `pause`
 * throws.
 */
export class MemoryKvCluster {
  readonly #members: Member[];
  readonly #network = new MemoryNetwork();

  private constructor(
    readonly options: MemoryClusterOptions,
    members: Member[],
    readonly clusterFile: string,
  ) {
    this.#members = members;
  }

  /** Starts every node and resolves once each serves HTTP. */
  static async start(options: MemoryClusterOptions): Promise<MemoryKvCluster> {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
    const ports = await freePorts(ids.length);
    const members: Member[] = ids.map((id, i) => ({ id, http: `http://127.0.0.1:${ports[i]}`, faults: {}, link: undefined, running: undefined, storage: undefined }));
    const clusterFile = join(dataDir, 'cluster.json');
    writeFileSync(clusterFile, JSON.stringify({ members: Object.fromEntries(members.map(({ id, http }) => [id, { http }])) }, null, 2));
    const cluster = new MemoryKvCluster({ ...options, dataDir }, members, clusterFile);
    for (const member of members) await cluster.#start(member);
    return cluster;
  }

  get members(): readonly { readonly id: number; readonly http: string }[] {
    return this.#members.map(({ id, http }) => ({ id, http }));
  }

  isRunning(id: number): boolean {
    return this.#member(id).running !== undefined;
  }

  isPaused(): boolean {
    return false;
  }

  /** Crashes the node: it stops at once; only what its storage made durable outlives it. */
  async kill(id: number): Promise<void> {
    const member = this.#member(id);
    const running = member.running;
    member.running = undefined;
    await running?.stop();
  }

  /** Starts a crashed node again from its storage. */
  async restart(id: number): Promise<void> {
    const member = this.#member(id);
    if (member.running) throw new Error(`node ${id} is already running`);
    await this.#start(member);
  }

  /** @throws Error always: one process cannot freeze part of itself (use OS processes: zmq or nats). */
  pause(id: number): void {
    throw new Error(`node ${id} runs inside this process with --transport memory, which cannot be paused; pause needs OS processes (zmq or nats)`);
  }

  async resume(): Promise<void> {}

  /** Sets what the in-memory network does to the node's traffic (see `NetworkFaults`). */
  async network(id: number, faults: NetworkFaults): Promise<void> {
    const member = this.#member(id);
    member.faults = faults;
    member.link?.set(faults);
  }

  networkOf(id: number): NetworkFaults {
    return this.#member(id).faults;
  }

  /** What the node's `GET /v1/status` would answer, or `undefined` while it is down. */
  async status(id: number): Promise<KvStatus | undefined> {
    return this.#member(id).running?.service.status();
  }

  /** Resolves with the leader's id once every running node agrees on it in the same term. */
  waitForLeader(timeoutMs: number): Promise<number> {
    const up = (): Member[] => this.#members.filter((m) => m.running);
    return waitForAgreedLeader(async () => up().map(({ id, running }) => ({ id, status: running?.service.status() })), timeoutMs);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#members.map((m) => this.kill(m.id)));
  }

  #member(id: number): Member {
    const member = this.#members.find((m) => m.id === id);
    if (!member) throw new RangeError(`node ${id} is not a member of this cluster`);
    return member;
  }

  async #start(member: Member): Promise<void> {
    const { options } = this;
    const args = [
      '--id', String(member.id),
      '--peers', this.#members.filter((m) => m.id !== member.id).map((m) => m.id).join(','),
      '--cluster', this.clusterFile,
      '--transport', 'memory',
      '--storage', options.storage,
      '--data-dir', join(options.dataDir, `node-${member.id}`),
      '--demo',
      ...(options.nodeArgs ?? []),
    ];
    const kvOptions = parseKvOptions(args);
    const storage = options.storage === 'memory' ? reopened(member.storage) : await FileStorage.open(kvOptions.dataDir);
    member.storage = storage;
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) if (line) options.onNodeOutput?.(member.id, line);
        done();
      },
    });
    const logger = pino({ level: kvOptions.logLevel, base: { node: member.id } }, lines);
    member.link = new FaultSwitch(this.#network.endpoint(member.id));
    member.link.set(member.faults);
    member.running = await startKvNode(kvOptions, logger, { transport: member.link, storage });
  }
}

function reopened(storage: Storage | undefined): MemoryStorage {
  return storage instanceof MemoryStorage ? storage.reopen() : new MemoryStorage();
}
