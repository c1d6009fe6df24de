import { decodeCommand, type KvCommand } from './commands.js';

/** What applying a command did. */
export type KvResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'cas_mismatch'; readonly current: string | null };

/**
 * The replicated key-value map: the deterministic state machine every node applies committed
 * entries to, in log order.
 */
export class KvStore {
  private readonly data = new Map<string, string>();
  private lastApplied = 0;

  /** Index of the last entry applied. */
  get appliedIndex(): number {
    return this.lastApplied;
  }

  /** Number of keys stored. */
  get size(): number {
    return this.data.size;
  }

  /** The value under `key`, or `null` when absent. */
  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /**
   * Applies one encoded command at log position `index`. Entries must arrive in strictly
   * increasing index order; a repeat or a gap means the runtime broke its contract, so it throws
   * rather than silently diverging from the other replicas.
   */
  apply(command: Uint8Array, index: number): KvResult {
    if (index <= this.lastApplied) {
      throw new Error(`KV store asked to apply index ${index} after ${this.lastApplied}: entries must be applied once, in order`);
    }
    this.lastApplied = index;
    return this.execute(decodeCommand(command));
  }

  /** Notes that an entry with no command (a leader's no-op) was applied at `index`. */
  skip(index: number): void {
    if (index <= this.lastApplied) {
      throw new Error(`KV store asked to skip index ${index} after ${this.lastApplied}`);
    }
    this.lastApplied = index;
  }

  /** The whole map and applied index, for a Raft snapshot. */
  snapshot(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify({ applied: this.lastApplied, data: [...this.data] }));
  }

  /** Replaces the whole state with a snapshot's. */
  async restore(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(Buffer.from(chunk));
    const state = JSON.parse(Buffer.concat(parts).toString('utf8')) as { applied: number; data: [string, string][] };
    this.data.clear();
    for (const [key, value] of state.data) this.data.set(key, value);
    this.lastApplied = state.applied;
  }

  private execute(command: KvCommand): KvResult {
    switch (command.op) {
      case 'put':
        this.data.set(command.key, command.value);
        return { ok: true };
      case 'delete':
        this.data.delete(command.key);
        return { ok: true };
      case 'cas': {
        const current = this.get(command.key);
        if (current !== command.expect) return { ok: false, reason: 'cas_mismatch', current };
        this.data.set(command.key, command.value);
        return { ok: true };
      }
    }
  }
}
