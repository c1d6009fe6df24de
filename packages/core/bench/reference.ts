import { EntryType, type Entry } from '@raft/core';

/**
 * The same data movement without any protocol: create an entry per command, append it to a
 * leader's array, copy it into two followers' arrays in batches, and "apply" it. Dividing the
 * RawNode cluster's rate by this one gives the protocol's overhead on this machine, today.
 * @returns entries per second.
 */
export function referenceRate(entries: number, batch: number, commandBytes: number): number {
  const logs: Entry[][] = [[], [], []];
  let checksum = 0;
  const start = performance.now();
  for (let index = 1; index <= entries; index += batch) {
    const from = logs[0]!.length;
    for (let j = 0; j < batch; j++) {
      logs[0]!.push({ term: 1, index: index + j, type: EntryType.Normal, data: new Uint8Array(commandBytes) });
    }
    const sent = logs[0]!.slice(from);
    for (const follower of [logs[1]!, logs[2]!]) for (const entry of sent) follower.push(entry);
    for (const entry of sent) checksum += entry.data.byteLength;
    // Bound memory the way the cluster's compaction does.
    if (logs[0]!.length >= 16_384) for (const log of logs) log.length = 0;
  }
  const seconds = (performance.now() - start) / 1000;
  if (checksum !== Math.ceil(entries / batch) * batch * commandBytes) throw new Error('reference: lost entries');
  return entries / seconds;
}
