import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../src/deadline-queue.js';

describe('DeadlineQueue', () => {
  it('expires due items in order and skips settled ones', () => {
    const queue = new DeadlineQueue<{ deadline: number; settled: boolean; name: string }>();
    const items = ['a', 'b', 'c', 'd'].map((name, i) => ({ deadline: i * 10, settled: false, name }));
    items.forEach((item) => queue.push(item));
    (items[1] as { settled: boolean }).settled = true;
    const expired: string[] = [];
    queue.expire(20, (item) => expired.push(item.name));
    expect(expired).toEqual(['a', 'c']);
    expect(queue.drain().map((item) => item.name)).toEqual(['d']);
  });

  it('stays small when items settle in order, however many pass through', () => {
    const queue = new DeadlineQueue<{ deadline: number; settled: boolean }>();
    for (let i = 0; i < 10_000; i++) {
      const item = { deadline: 1e9, settled: false };
      queue.push(item);
      item.settled = true;
      queue.trim();
    }
    const last = { deadline: 1e9, settled: false };
    queue.push(last);
    expect(queue.drain()).toEqual([last]);
  });
});
