import type { Message, PersistedState, Snapshot, SnapshotMeta, Storage } from '@raft/core';
import { NodeFailedError } from './errors.js';
import type { StateMachine } from './state-machine.js';

/** A stream of one buffer. */
async function* streamOf(data: Uint8Array): AsyncIterable<Uint8Array> {
  yield data;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    size += chunk.byteLength;
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/**
 * Brings a restarting node's state machine to the storage's snapshot before the log after it is
 * replayed.
 * @throws NodeFailedError when there is a snapshot the state machine cannot restore.
 */
export async function restoreFromStorage(storage: Storage, stateMachine: StateMachine<unknown>, persisted: PersistedState): Promise<void> {
  if (persisted.snapshot === undefined) return;
  if (stateMachine.restore === undefined) {
    throw new NodeFailedError(
      `the storage holds a snapshot at index ${persisted.snapshot.index}, but the state machine has no restore(); ` +
        'give it snapshot() and restore(), or start from an empty storage',
    );
  }
  const stored = await storage.readSnapshot();
  if (stored === undefined || stored.meta.index !== persisted.snapshot.index) {
    throw new NodeFailedError(
      `the storage reported a snapshot at index ${persisted.snapshot.index} on load but cannot read it back; the storage is inconsistent`,
    );
  }
  await stateMachine.restore(stored.read());
}

/**
 * Captures the state machine at `meta.index`, stores it durably, then lets the storage drop the
 * log it covers.
 */
export async function takeSnapshot(storage: Storage, stateMachine: StateMachine<unknown>, meta: SnapshotMeta): Promise<void> {
  const taken = await stateMachine.snapshot!();
  await storage.saveSnapshot(meta, taken instanceof Uint8Array ? streamOf(taken) : taken);
}

/**
 * The core sends snapshots without their bytes (it holds none): reads them from storage.
 * @throws NodeFailedError when the storage has no snapshot at the index the core asked for.
 */
export async function withSnapshotData(storage: Storage, message: Message): Promise<Message> {
  const meta = message.snapshot!.meta;
  const stored = await storage.readSnapshot();
  if (stored === undefined || stored.meta.index !== meta.index) {
    throw new NodeFailedError(
      `node ${message.to} needs the snapshot at index ${meta.index}, but the storage holds ${stored === undefined ? 'none' : `one at ${stored.meta.index}`}`,
    );
  }
  return { ...message, snapshot: { meta, data: await collect(stored.read()) } };
}

/** A snapshot received from the leader: made durable, replacing the whole log. */
export function installSnapshot(storage: Storage, snapshot: Snapshot): Promise<void> {
  return storage.installSnapshot(snapshot.meta, streamOf(snapshot.data));
}

/** Replaces the state machine's state with a snapshot received from the leader. */
export async function restoreSnapshot(stateMachine: StateMachine<unknown>, snapshot: Snapshot): Promise<void> {
  if (stateMachine.restore === undefined) {
    throw new NodeFailedError(
      `the leader sent a snapshot (index ${snapshot.meta.index}) because this node fell behind its compacted log, ` +
        'but the state machine has no restore(); give every node a state machine with snapshot() and restore()',
    );
  }
  await stateMachine.restore(streamOf(snapshot.data));
}
