import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServerBinary } from './binary.js';
import { registerChild } from './child-registry.js';
import { answersWithInfo, readPortsFile } from './probes.js';
import { WaitAborted, waitUntil } from './wait-until.js';

/** How to start one nats-server. */
export interface NatsServerOptions {
  /** Server name (shows in logs and `INFO`). Default `n1`. */
  readonly name?: string;
  /** Largest message payload the server accepts, in bytes (the server's default is 1 MiB). */
  readonly maxPayload?: number;
  /**
   * Join a NATS cluster of this name, listening for routes on a loopback port. Servers route to
   * each other through {@link NatsServerOptions.routes}.
   */
  readonly clusterName?: string;
  /** Cluster (route) ports of servers to connect routes to, on loopback. */
  readonly routes?: readonly number[];
  /** Extra nats-server configuration appended verbatim (e.g. an `authorization { … }` block). */
  readonly extraConfig?: string;
  /** How long to wait for the server to accept clients. Default 10 s. */
  readonly startTimeoutMs?: number;
}

/** The loopback ports a running server listens on; they stay the same across restarts. */
export interface NatsServerPorts {
  readonly client: number;
  readonly monitoring: number;
  /** Present when the server is part of a cluster. */
  readonly cluster?: number;
}

const LOOPBACK = '127.0.0.1';
const STOP_TIMEOUT_MS = 5_000;

/**
 * A nats-server child process on loopback ports, for tests and benchmarks.
 *
 * The first start takes ports the kernel picks (no race with other processes for "free" ports);
 * {@link NatsServer.restart} reuses them, as a crashed server coming back would. Every process is
 * killed when the Node process exits, even if a test forgot {@link NatsServer.stop}.
 */
export class NatsServer {
  #child: ChildProcess | undefined;
  #ports: NatsServerPorts | undefined;
  #routes: readonly number[];
  #frozen = false;

  private constructor(
    private readonly binary: string,
    /** Directory holding this server's configuration, log and ports file. */
    readonly dir: string,
    private readonly options: NatsServerOptions,
  ) {
    this.#routes = options.routes ?? [];
  }

  /**
   * Starts a server and resolves once it accepts client connections.
   *
   * @throws Error if nats-server is not installed (naming how to install it) or does not come up.
   */
  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const binary = findNatsServerBinary();
    const dir = await mkdtemp(join(tmpdir(), 'raft-nats-'));
    const server = new NatsServer(binary, dir, options);
    try {
      await server.launch();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The server's name. */
  get name(): string {
    return this.options.name ?? 'n1';
  }

  /** The ports this server listens on. */
  get ports(): NatsServerPorts {
    if (this.#ports === undefined) throw new Error(`nats-server ${this.name} has not started`);
    return this.#ports;
  }

  /** The client URL, e.g. `nats://127.0.0.1:4222`. */
  get url(): string {
    return `nats://${LOOPBACK}:${this.ports.client}`;
  }

  /** Whether the process is running (not killed, stopped or crashed). */
  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Path of the server's log file, worth reading when a test fails. */
  get logFile(): string {
    return join(this.dir, 'nats-server.log');
  }

  /** Replaces the cluster ports this server routes to (used when a cluster is restarted). */
  setRoutes(routes: readonly number[]): void {
    this.#routes = routes;
  }

  /** Kills the process with SIGKILL, as a crash would, and waits until it is gone. */
  async kill(): Promise<void> {
    await this.terminate('SIGKILL');
  }

  /**
   * Suspends the process (SIGSTOP): its sockets stay open but it answers nothing, like a server
   * that hangs or sits behind a dead network path. {@link NatsServer.thaw} resumes it.
   */
  freeze(): void {
    if (!this.running) throw new Error(`nats-server ${this.name} is not running; there is nothing to freeze`);
    this.#child?.kill('SIGSTOP');
    this.#frozen = true;
  }

  /** Resumes a process suspended by {@link NatsServer.freeze}. */
  thaw(): void {
    if (!this.#frozen) return;
    this.#child?.kill('SIGCONT');
    this.#frozen = false;
  }

  /** Starts the server again on the same ports, after {@link NatsServer.kill} or a stop. */
  async restart(): Promise<void> {
    if (this.running) throw new Error(`nats-server ${this.name} is still running; kill() it before restart()`);
    await this.launch();
  }

  /** Stops the server (SIGTERM, then SIGKILL if it lingers) and deletes its directory. */
  async stop(): Promise<void> {
    await this.terminate('SIGTERM');
    await rm(this.dir, { recursive: true, force: true });
  }

  private async terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined || !this.running) return;
    const exited = once(child, 'exit');
    // A suspended process would not act on SIGTERM until resumed.
    this.thaw();
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private async launch(): Promise<void> {
    const configFile = join(this.dir, 'nats-server.conf');
    await writeFile(configFile, this.config());
    const child = spawn(this.binary, ['-c', configFile, '--ports_file_dir', this.dir], { stdio: 'ignore' });
    registerChild(child);
    this.#child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const pid = child.pid ?? 0;
    const timeoutMs = this.options.startTimeoutMs ?? 10_000;
    const ports = await waitUntil(
      `nats-server ${this.name} (pid ${pid}) to listen; see ${this.logFile}`,
      async () => {
        if (!this.running) throw new WaitAborted(`nats-server ${this.name} exited at start; its log ends:\n${await this.logTail()}`);
        return readPortsFile(this.dir, pid);
      },
      { timeoutMs },
    );
    this.#ports = ports;
    await waitUntil(`nats-server ${this.name} to accept clients on port ${ports.client}`, () =>
      answersWithInfo(ports.client).then((ok) => (ok ? true : undefined)), { timeoutMs });
  }

  private config(): string {
    const port = (known: number | undefined): string => `"${LOOPBACK}:${known ?? -1}"`;
    const lines = [
      `server_name: "${this.name}"`,
      `listen: ${port(this.#ports?.client)}`,
      `http: ${port(this.#ports?.monitoring)}`,
      `log_file: "${this.logFile}"`,
    ];
    if (this.options.maxPayload !== undefined) lines.push(`max_payload: ${this.options.maxPayload}`);
    if (this.options.clusterName !== undefined) {
      const routes = this.#routes.map((route) => `"nats://${LOOPBACK}:${route}"`).join(', ');
      lines.push(
        `cluster {`,
        `  name: "${this.options.clusterName}"`,
        `  listen: ${port(this.#ports?.cluster)}`,
        `  routes: [${routes}]`,
        `}`,
      );
    }
    if (this.options.extraConfig !== undefined) lines.push(this.options.extraConfig);
    return `${lines.join('\n')}\n`;
  }

  private async logTail(): Promise<string> {
    const log = await readFile(this.logFile, 'utf8').catch(() => '(no log)');
    return log.split('\n').slice(-10).join('\n');
  }
}
