import { setTimeout as delay } from 'node:timers/promises';
import type { HistoryRecorder } from '../history/recorder.js';
import type { OpFunction } from '../history/types.js';
import { KvClient, type KvClientOptions, type OpOutcome } from './kv-client.js';

/** Options of {@link runRegisterWorkload}. */
export interface RegisterWorkloadOptions {
  /** Base URLs of the nodes; client `i` talks to node `i mod n`, so every node serves clients. */
  readonly endpoints: readonly string[];
  /** Concurrent clients (the issue asks for at least 10). */
  readonly clients: number;
  /** Registers, named `k0`, `k1`, ... */
  readonly keys: number;
  /** Target operations per second over all clients (each client waits between operations to hold it). */
  readonly rate: number;
  readonly client: KvClientOptions;
  /** Drives every random choice, so a seed replays the same sequence of operations. */
  readonly random: () => number;
  /** Clients stop issuing operations once this signal aborts, and the workload resolves when all are idle. */
  readonly signal: AbortSignal;
}

/**
 * The register workload: concurrent clients each running read, write and cas operations on random
 * keys, recording every invocation and completion. Writes use values unique to the run (so a read
 * tells which write it saw); a cas expects the last value its client saw on the key.
 *
 * A client whose operation ends `info` cannot know whether it took effect, so its process is
 * retired, as in Jepsen: the client carries on under a new process id (old id + clients), which
 * keeps "one operation in flight per process" true in the history.
 */
export async function runRegisterWorkload(recorder: HistoryRecorder, options: RegisterWorkloadOptions): Promise<void> {
  let nextValue = 1;
  const seen = new Map<string, number | null>();
  const meanPauseMs = (1000 * options.clients) / options.rate;

  const runClient = async (index: number): Promise<void> => {
    const client = new KvClient(options.endpoints[index % options.endpoints.length]!, options.client);
    let process = index;
    while (!options.signal.aborted) {
      const key = `k${Math.floor(options.random() * options.keys)}`;
      const dice = options.random();
      const f: OpFunction = dice < 0.5 ? 'read' : dice < 0.8 ? 'write' : 'cas';
      let outcome: OpOutcome;
      if (f === 'read') {
        recorder.invoke(process, 'read', key, null);
        outcome = await client.read(key);
        recorder.complete(process, outcome.type, 'read', key, outcome.type === 'ok' ? outcome.value ?? null : undefined);
        if (outcome.type === 'ok' && (typeof outcome.value === 'number' || outcome.value === null)) seen.set(key, outcome.value);
      } else if (f === 'write') {
        const value = nextValue++;
        recorder.invoke(process, 'write', key, value);
        outcome = await client.write(key, value);
        recorder.complete(process, outcome.type, 'write', key, value);
        if (outcome.type === 'ok') seen.set(key, value);
      } else {
        const expect = seen.get(key) ?? null;
        const value = nextValue++;
        recorder.invoke(process, 'cas', key, [expect, value]);
        outcome = await client.cas(key, expect, value);
        recorder.complete(process, outcome.type, 'cas', key, [expect, value]);
        if (outcome.type === 'ok') seen.set(key, value);
      }
      if (outcome.type === 'info') process += options.clients;
      // The rate is held by pausing between operations (exponential pauses: arrivals look random).
      const pause = -Math.log(1 - options.random()) * meanPauseMs;
      await delay(Math.min(pause, 10 * meanPauseMs), undefined, { signal: options.signal }).catch(() => {});
    }
  };

  await Promise.all(Array.from({ length: options.clients }, (_, i) => runClient(i)));
}

/**
 * Reads every key once more after the cluster has healed, through each node in turn until one
 * answers, so the history ends with what the cluster settled on. A read that fails is retried
 * (reads change nothing) until `deadline` (a `performance.now()` time).
 *
 * @returns the keys no node could read before the deadline.
 */
export async function finalReads(
  recorder: HistoryRecorder,
  options: { readonly endpoints: readonly string[]; readonly keys: number; readonly client: KvClientOptions; readonly process: number; readonly deadline: number },
): Promise<string[]> {
  const unread: string[] = [];
  const clients = options.endpoints.map((endpoint) => new KvClient(endpoint, options.client));
  for (let k = 0; k < options.keys; k++) {
    const key = `k${k}`;
    let done = false;
    for (let attempt = 0; !done && performance.now() < options.deadline; attempt++) {
      const client = clients[attempt % clients.length]!;
      recorder.invoke(options.process, 'read', key, null);
      const outcome = await client.read(key);
      recorder.complete(options.process, outcome.type, 'read', key, outcome.type === 'ok' ? outcome.value ?? null : undefined);
      done = outcome.type === 'ok';
      if (!done) await delay(100);
    }
    if (!done) unread.push(key);
  }
  return unread;
}
