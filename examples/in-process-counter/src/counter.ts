import type { StateMachine } from '@raft/log';

/**
 * A replicated counter: each command adds a signed 32-bit amount. Its snapshot is the value as
 * eight bytes, so a node can compact its log and a lagging follower can be caught up in one message.
 */
export class Counter implements StateMachine<number> {
  value = 0;
  /** Whether the value came from a snapshot (on a restart, or from the leader) rather than from the log alone. */
  restoredFromSnapshot = false;

  /** The command that adds `amount` (a signed 32-bit integer) to the counter. */
  static add(amount: number): Uint8Array {
    const command = new Uint8Array(4);
    new DataView(command.buffer).setInt32(0, amount);
    return command;
  }

  apply(command: Uint8Array): number {
    this.value += new DataView(command.buffer, command.byteOffset, command.byteLength).getInt32(0);
    return this.value;
  }

  snapshot(): Uint8Array {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setFloat64(0, this.value);
    return data;
  }

  async restore(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    const data = Buffer.concat(parts);
    this.value = new DataView(data.buffer, data.byteOffset, data.byteLength).getFloat64(0);
    this.restoredFromSnapshot = true;
  }
}
