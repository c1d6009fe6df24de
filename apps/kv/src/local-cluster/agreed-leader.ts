import { setTimeout as delay } from 'node:timers/promises';
import type { KvStatus } from '../kv/service.js';

/**
 * Resolves with the leader's id once every node `statuses` reports on (the running ones) names the
 * same leader in the same term, polling every 50 ms.
 * @param statuses - each running node's id and its status, or `undefined` if it did not answer.
 * @throws Error after `timeoutMs`, with what each node said last.
 */
export async function waitForAgreedLeader(
  statuses: () => Promise<readonly { readonly id: number; readonly status: KvStatus | undefined }[]>,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = await statuses();
    const leader = seen.find((s) => s.status?.role === 'leader')?.status;
    if (leader && seen.every(({ status }) => status?.leader === leader.id && status.term === leader.term)) return leader.id;
    if (performance.now() > deadline) {
      const said = seen.map(({ id, status }) => `node ${id}: ${status ? `${status.role} term ${status.term} leader ${status.leader}` : 'no answer'}`);
      throw new Error(`no leader agreed on by all running nodes within ${timeoutMs} ms (${said.join('; ')})`);
    }
    await delay(50);
  }
}
