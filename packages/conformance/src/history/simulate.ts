import { pairOperations } from './operations.js';
import type { ClientEvent, EventType, JsonValue, OpFunction, Operation } from './types.js';

/** Shape of a simulated register workload. */
export interface SimulationOptions {
  /** Seed of the pseudo-random choices: the same options give the same history. */
  readonly seed: number;
  /** How many operations to invoke. */
  readonly operations: number;
  /** How many clients run concurrently (each has one operation in flight at most). */
  readonly processes: number;
  /** How many registers, named `k0`, `k1`, ... */
  readonly keys: number;
  /** Chance that an operation ends indeterminate (`info`), having taken effect or not. Default 0.02. */
  readonly infoRate?: number;
  /** Chance that a write or cas fails without taking effect. Default 0.02. */
  readonly failRate?: number;
}

/**
 * Simulates clients of a perfectly linearizable store of registers and records their history:
 * each operation takes effect atomically at a random moment between its invocation and its
 * completion, and the clients' operations interleave at random. Useful to test checkers and
 * reports at scale, and as the valid half of a pair with {@link injectStaleRead}.
 *
 * Every write (and cas) writes a value never written before, so that a corrupted read can be
 * told apart with certainty.
 */
export function simulateRegisterHistory(options: SimulationOptions): ClientEvent[] {
  const random = seededRandom(options.seed);
  const infoRate = options.infoRate ?? 0.02;
  const failRate = options.failRate ?? 0.02;
  const registers = new Map<string, JsonValue>();
  const events: ClientEvent[] = [];
  const clients: Client[] = Array.from({ length: options.processes }, (_, process) => ({ process }));
  let nextProcess = options.processes;
  let nextValue = 1;
  let invoked = 0;
  let inFlight = 0;
  let time = 0;

  const record = (process: number, type: EventType, op: PendingOp, value: JsonValue | undefined): void => {
    time += 1 + Math.floor(random() * 1000);
    events.push({ process, type, f: op.f, key: op.key, ...(value !== undefined && { value }), time });
  };

  while (invoked < options.operations || inFlight > 0) {
    const client = clients[Math.floor(random() * clients.length)]!;
    const op = client.op;
    if (op === undefined) {
      if (invoked === options.operations) continue;
      const f: OpFunction = pick(random, ['read', 'read', 'write', 'cas']);
      const key = `k${Math.floor(random() * options.keys)}`;
      const current = registers.get(key) ?? null;
      const input: JsonValue =
        f === 'read' ? null : f === 'write' ? nextValue++ : [random() < 0.5 ? current : nextValue - 1, nextValue++];
      client.op = { f, key, input, phase: 'invoked' };
      record(client.process, 'invoke', client.op, input);
      invoked += 1;
      inFlight += 1;
    } else if (op.phase === 'invoked') {
      // The moment the store acts on the request: it takes effect, fails, or the client loses track.
      const roll = random();
      if (roll < infoRate / 2) op.phase = 'lost';
      else if (op.f !== 'read' && roll < infoRate / 2 + failRate) op.phase = 'fail';
      else applyTo(registers, op);
    } else {
      const type: EventType = op.phase === 'lost' || random() < infoRate / 2 ? 'info' : op.phase;
      record(client.process, type, op, type === 'info' ? undefined : op.f === 'read' ? op.output : op.input);
      client.op = undefined;
      inFlight -= 1;
      // A client that lost track of an operation is retired, as DESIGN.md asks.
      if (type === 'info') client.process = nextProcess++;
    }
  }
  return events;
}

interface PendingOp {
  readonly f: OpFunction;
  readonly key: string;
  readonly input: JsonValue;
  /** Where the operation stands: `ok` and `fail` say what the client will be told. */
  phase: 'invoked' | 'lost' | 'ok' | 'fail';
  output?: JsonValue;
}

interface Client {
  process: number;
  op?: PendingOp | undefined;
}

/** Takes effect atomically, and notes what the client will be told. */
function applyTo(registers: Map<string, JsonValue>, op: PendingOp): void {
  const current = registers.get(op.key) ?? null;
  if (op.f === 'read') {
    op.output = current;
    op.phase = 'ok';
  } else if (op.f === 'write') {
    registers.set(op.key, op.input);
    op.phase = 'ok';
  } else {
    const [expect, next] = op.input as [JsonValue, JsonValue];
    const matched = expect === current;
    if (matched) registers.set(op.key, next);
    op.phase = matched ? 'ok' : 'fail';
  }
}

/**
 * Returns a copy of a history in which one successful read returns a stale value: one that had
 * been overwritten by a later completed write before the read began. On a history from
 * {@link simulateRegisterHistory} (unique values) the result is certainly not linearizable.
 *
 * @returns the corrupted events and the index of the changed event, or `undefined` when the
 *   history has no read preceded by two sequential writes on its key.
 */
export function injectStaleRead(
  events: readonly ClientEvent[],
  seed: number,
): { readonly events: ClientEvent[]; readonly index: number } | undefined {
  const { operations } = pairOperations(events);
  const random = seededRandom(seed);
  const reads = operations.filter((o) => o.f === 'read' && o.outcome === 'ok');
  const writesByKey = new Map<string, Operation[]>();
  for (const o of operations) {
    if (o.f !== 'write' || o.outcome !== 'ok') continue;
    const writes = writesByKey.get(o.key);
    if (writes === undefined) writesByKey.set(o.key, [o]);
    else writes.push(o);
  }
  const start = Math.floor(random() * reads.length);
  for (let i = 0; i < reads.length; i++) {
    const read = reads[(start + i) % reads.length]!;
    const writes = writesByKey.get(read.key) ?? [];
    const overwriting = writes.findLast((w) => w.return < read.call);
    const stale = overwriting && writes.findLast((w) => w.return < overwriting.call);
    if (stale === undefined) continue;
    const index = events.findIndex((e) => e.process === read.process && e.time === read.return);
    const corrupted = events.slice();
    corrupted[index] = { ...events[index]!, value: stale.input };
    return { events: corrupted, index };
  }
  return undefined;
}

function pick<T>(random: () => number, choices: readonly T[]): T {
  return choices[Math.floor(random() * choices.length)]!;
}

/** A small, fast, seedable generator of uniform numbers in [0, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
