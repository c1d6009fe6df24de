import type { PersistedState, Snapshot, SnapshotMeta, Storage } from '@raft/core';
import { NodeFailedError } from './errors.js';
import type { StateMachine } from './state-machine.js';

/** A stream of one buffer. */
async function* streamOf(data: Uint8Array): AsyncIterable<Uint8Array> {
  yield data;
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

/** A snapshot received from the leader: made durable, replacing the whole log. */
export function installSnapshot(storage: Storage, snapshot: Snapshot): Promise<void> {
  return storage.installSnapshot(snapshot.meta, streamOf(snapshot.data));
}

/**
 * Replaces the state machine's state with a snapshot received from the leader: from `snapshot.data`,
 * or, when `stored` (the snapshot was assembled from pieces straight into storage), streamed back
 * from the storage.
 */
export async function restoreSnapshot(stateMachine: StateMachine<unknown>, snapshot: Snapshot, storage?: Storage): Promise<void> {
  if (stateMachine.restore === undefined) {
    throw new NodeFailedError(
      `the leader sent a snapshot (index ${snapshot.meta.index}) because this node fell behind its compacted log, ` +
        'but the state machine has no restore(); give every node a state machine with snapshot() and restore()',
    );
  }
  if (storage === undefined) return stateMachine.restore(streamOf(snapshot.data));
  const stored = await storage.readSnapshot();
  if (stored === undefined || stored.meta.index !== snapshot.meta.index || stored.meta.term !== snapshot.meta.term) {
    throw new NodeFailedError(
      `the snapshot at index ${snapshot.meta.index} was installed, but the storage reads back ${stored === undefined ? 'none' : `one at ${stored.meta.index}`}; the storage is inconsistent`,
    );
  }
  await stateMachine.restore(stored.read());
}
