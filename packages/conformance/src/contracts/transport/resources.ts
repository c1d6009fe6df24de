import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The process's active handles and requests (sockets, servers, timers), counted by kind. */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** The kinds of handle that outnumber `before`, with the surplus, e.g. `TCPSocketWrap ×2`. */
export function leakedResources(before: ReadonlyMap<string, number>): string[] {
  const leaks: string[] = [];
  for (const [kind, count] of activeResources()) {
    const surplus = count - (before.get(kind) ?? 0);
    if (surplus > 0) leaks.push(`${kind} ×${surplus}`);
  }
  return leaks;
}

let collect: (() => void) | undefined;

/**
 * Heap in use after a full garbage collection, so that a growth measured across a case is what
 * the transport retains rather than garbage not yet collected. Exposes V8's `gc` on first use when
 * the process was not started with `--expose-gc`.
 */
export function heapAfterGc(): number {
  if (!collect) {
    if (typeof globalThis.gc === 'function') {
      collect = globalThis.gc;
    } else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
  return process.memoryUsage().heapUsed;
}
