import type { LogPosition, StateMachine } from '@raft/log';
import type { KvResult, KvStore } from './store.js';

/** What applying one command gave: where it sits in the log and what it did. */
export interface AppliedCommand {
  readonly index: number;
  readonly result: KvResult;
}

/** The {@link KvStore} as the Raft node's state machine, snapshots included. */
export class KvStateMachine implements StateMachine<AppliedCommand> {
  constructor(readonly store: KvStore) {}

  apply(command: Uint8Array, position: LogPosition): AppliedCommand {
    return { index: position.index, result: this.store.apply(command, position.index) };
  }

  snapshot(): Uint8Array {
    return this.store.snapshot();
  }

  restore(data: AsyncIterable<Uint8Array>): Promise<void> {
    return this.store.restore(data);
  }
}
