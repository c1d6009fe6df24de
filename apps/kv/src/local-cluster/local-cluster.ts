import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { NetworkFaults } from '../node/fault-switch.js';
import type { KvStatus } from '../kv/service.js';
import { waitForAgreedLeader } from './agreed-leader.js';
import { freePorts } from './free-ports.js';
import { nodeCommand } from './node-command.js';

/** Options of {@link LocalKvCluster.start}. */
export interface LocalClusterOptions {
  /** How many founding members, with ids 1..nodes. */
  readonly nodes: number;
  /** `zmq`, `nats`, or the path of a transport module (see the raft-kv README). */
  readonly transport: string;
  /** `file`, `lmdb`, `memory`, or the path of a storage module. */
  readonly storage: string;
  /** Where each node keeps its data (`<dataDir>/node-<id>`) and where the cluster file is written. */
  readonly dataDir: string;
  /** Extra flags for every node (e.g. `--nats <url>`, `--tick-ms 10`). */
  readonly nodeArgs?: readonly string[];
  /** Receives every line a node prints (its JSON logs). */
  readonly onNodeOutput?: (id: number, line: string) => void;
  /**
   * Told when a node process exits; `expected` is false when nobody asked it to (it crashed or
   * stopped on its own, which a test should treat as a finding).
   */
  readonly onNodeExit?: (id: number, exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly expected: boolean }) => void;
}


interface Member {
  readonly id: number;
  readonly http: string;
  process: ChildProcess | undefined;
  paused: boolean;
  network: NetworkFaults;
  /** The network faults are recorded but the node has not been told yet (it was paused or down). */
  networkPending: boolean;
}

const HEALTHY: NetworkFaults = {};

/**
 * A cluster of `raft-kv` processes on loopback, in demo mode, with the controls that testing and the
 * demo dashboard need: SIGKILL and restart, SIGSTOP and SIGCONT, and a faulty network for a node's
 * Raft traffic (cut from chosen peers, loss, duplication, delay). Ports are picked free and written
 * to a cluster file, so clusters can coexist.
 *
 * Network faults outlive the process they were applied to: a node restarted while cut off (or cut
 * while paused) gets them as soon as it answers again, as a real network fault would persist.
 */
export class LocalKvCluster {
  readonly #members: Member[];

  private constructor(
    readonly options: LocalClusterOptions,
    members: readonly { id: number; http: string }[],
    readonly clusterFile: string,
  ) {
    this.#members = members.map((m) => ({ ...m, process: undefined, paused: false, network: HEALTHY, networkPending: false }));
  }

  /** Writes the cluster file and launches every node (without waiting for them to answer). */
  static async start(options: LocalClusterOptions): Promise<LocalKvCluster> {
    const dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const ids = Array.from({ length: options.nodes }, (_, i) => i + 1);
    const ports = await freePorts(ids.length * 2);
    const members = ids.map((id, i) => ({ id, raft: `tcp://127.0.0.1:${ports[2 * i]}`, http: `http://127.0.0.1:${ports[2 * i + 1]}` }));
    const clusterFile = join(dataDir, 'cluster.json');
    writeFileSync(clusterFile, JSON.stringify({ members: Object.fromEntries(members.map(({ id, raft, http }) => [id, { raft, http }])) }, null, 2));
    const cluster = new LocalKvCluster({ ...options, dataDir }, members, clusterFile);
    for (const member of cluster.#members) cluster.#launch(member);
    return cluster;
  }

  /** Every member's id and HTTP base URL. */
  get members(): readonly { readonly id: number; readonly http: string }[] {
    return this.#members.map(({ id, http }) => ({ id, http }));
  }

  /** The member's HTTP base URL. */
  httpOf(id: number): string {
    return this.#member(id).http;
  }

  isRunning(id: number): boolean {
    return this.#member(id).process !== undefined;
  }

  isPaused(id: number): boolean {
    return this.#member(id).paused;
  }

  /** The network faults in force for the node (recorded here, whether or not the node is up). */
  networkOf(id: number): NetworkFaults {
    return this.#member(id).network;
  }

  /** SIGKILLs the node and resolves once the process is gone. */
  async kill(id: number): Promise<void> {
    const member = this.#member(id);
    const child = member.process;
    if (!child) return;
    member.process = undefined;
    member.paused = false;
    const exited = child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined;
    child.kill('SIGKILL');
    await exited;
  }

  /**
   * Starts a node that is down, from its data directory, and resolves once its HTTP API answers
   * (with its network faults re-applied).
   * @throws Error when it is already running, or does not answer within `timeoutMs`.
   */
  async restart(id: number, timeoutMs = 15_000): Promise<void> {
    const member = this.#member(id);
    if (member.process) throw new Error(`node ${id} is already running`);
    this.#launch(member);
    await this.#whenAnswering(member, timeoutMs);
    await this.#applyNetwork(member);
  }

  /** Freezes the node's process (SIGSTOP): it keeps its sockets but answers nothing. */
  pause(id: number): void {
    const member = this.#member(id);
    if (!member.process || member.paused) return;
    member.process.kill('SIGSTOP');
    member.paused = true;
  }

  /** Lets a paused node run again (SIGCONT) and gives it any network change made while it was frozen. */
  async resume(id: number): Promise<void> {
    const member = this.#member(id);
    if (!member.process || !member.paused) return;
    member.process.kill('SIGCONT');
    member.paused = false;
    await this.#applyNetwork(member);
  }

  /**
   * Sets what the network does to the node's Raft traffic (see {@link NetworkFaults}); `{}` heals
   * it. Recorded at once; a node that is down or paused gets it when it is back.
   * @throws Error when a running node refuses the change (it was not started in demo mode).
   */
  async network(id: number, faults: NetworkFaults): Promise<void> {
    const member = this.#member(id);
    member.network = faults;
    member.networkPending = true;
    await this.#applyNetwork(member);
  }

  /** The node's `/v1/status`, or `undefined` when it does not answer within `timeoutMs`. */
  async status(id: number, timeoutMs = 500): Promise<KvStatus | undefined> {
    const member = this.#member(id);
    if (!member.process || member.paused) return undefined;
    try {
      const reply = await fetch(`${member.http}/v1/status`, { signal: AbortSignal.timeout(timeoutMs) });
      return reply.ok ? ((await reply.json()) as KvStatus) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Resolves with the leader's id once every running, unpaused node agrees on it in the same term.
   * @throws Error after `timeoutMs` without agreement.
   */
  waitForLeader(timeoutMs: number): Promise<number> {
    const up = (): Member[] => this.#members.filter((m) => m.process && !m.paused);
    return waitForAgreedLeader(() => Promise.all(up().map(async ({ id }) => ({ id, status: await this.status(id) }))), timeoutMs);
  }

  /** Stops every node (SIGTERM, then SIGKILL after 3 s); paused nodes are resumed first. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#members.map(async (member) => {
        const child = member.process;
        member.process = undefined;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        if (member.paused) child.kill('SIGCONT');
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(force);
      }),
    );
  }

  #member(id: number): Member {
    const member = this.#members.find((m) => m.id === id);
    if (!member) throw new RangeError(`node ${id} is not a member of this cluster (members: ${this.#members.map((m) => m.id).join(', ')})`);
    return member;
  }

  #launch(member: Member): void {
    const { options } = this;
    const args = [
      '--id', String(member.id),
      '--peers', this.#members.filter((m) => m.id !== member.id).map((m) => m.id).join(','),
      '--cluster', this.clusterFile,
      '--transport', options.transport,
      '--storage', options.storage,
      '--data-dir', join(options.dataDir, `node-${member.id}`),
      '--demo',
      ...(options.nodeArgs ?? []),
    ];
    const { command, argv } = nodeCommand(args);
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    member.process = child;
    member.paused = false;
    member.networkPending = member.network !== HEALTHY;
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) if (line) options.onNodeOutput?.(member.id, line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('exit', (code, signal) => {
      // kill() and stop() let go of the process before signalling it.
      const expected = member.process !== child;
      if (!expected) member.process = undefined;
      options.onNodeExit?.(member.id, { code, signal, expected });
    });
  }

  async #whenAnswering(member: Member, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while ((await this.status(member.id)) === undefined) {
      if (!member.process) throw new Error(`node ${member.id} exited while starting; see its output`);
      if (performance.now() > deadline) throw new Error(`node ${member.id} did not answer on ${member.http} within ${timeoutMs} ms`);
      await delay(50);
    }
  }

  async #applyNetwork(member: Member): Promise<void> {
    if (!member.networkPending || !member.process || member.paused) return;
    const faults = member.network;
    const reply = await fetch(`${member.http}/v1/demo/network`, {
      method: 'POST',
      body: JSON.stringify(faults),
      signal: AbortSignal.timeout(2_000),
    }).catch((error: Error) => error);
    if (reply instanceof Error || !reply.ok) {
      throw new Error(`node ${member.id} did not accept the network faults: ${reply instanceof Error ? reply.message : `HTTP ${reply.status}`}`);
    }
    if (member.network === faults) member.networkPending = false;
  }
}
