import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../src/index.js';

// The Storage contract suite runs against MemoryStorage in @raft/conformance's tests
// (test/reference-adapters.test.ts); these are what only MemoryStorage offers.
const entry = (index: number, term = 1) => ({ index, term, type: 0 as const, data: Uint8Array.of(index) });

describe('MemoryStorage extras', () => {
  it('reopen() keeps every resolved write and closes the old handle', async () => {
    const first = new MemoryStorage();
    await first.load();
    await first.save({ entries: [entry(1), entry(2)], hardState: { term: 1, vote: 2, commit: 1 } });
    const second = first.reopen();
    expect(await second.load()).toEqual({ hardState: { term: 1, vote: 2, commit: 1 }, snapshot: undefined, entries: [entry(1), entry(2)] });
    await expect(first.lastIndex()).rejects.toThrow(/closed/);
  });

  it('failNextWrite() fails exactly one write and changes nothing', async () => {
    const storage = new MemoryStorage();
    await storage.load();
    storage.failNextWrite(new Error('disk full'));
    await expect(storage.save({ entries: [entry(1)] })).rejects.toThrow('disk full');
    expect(await storage.lastIndex()).toBe(0);
    await storage.save({ entries: [entry(1)] });
    expect(await storage.lastIndex()).toBe(1);
  });

  it('is not affected by callers mutating the arrays they passed or got back', async () => {
    const storage = new MemoryStorage();
    await storage.load();
    const written = [entry(1), entry(2)];
    await storage.save({ entries: written });
    written.pop();
    const read = await storage.entries(1, 3);
    read.length = 0;
    expect(await storage.entries(1, 3)).toEqual([entry(1), entry(2)]);
  });
});
