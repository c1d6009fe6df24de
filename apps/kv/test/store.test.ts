import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../src/kv/commands.js';
import { KvStore } from '../src/kv/store.js';

describe('KvStore', () => {
  it('applies puts, deletes and compare-and-set in log order', () => {
    const store = new KvStore();
    expect(store.apply(encodeCommand({ op: 'put', key: 'a', value: '1' }), 1)).toEqual({ ok: true });
    expect(store.get('a')).toBe('1');
    expect(store.apply(encodeCommand({ op: 'cas', key: 'a', expect: '2', value: '3' }), 2)).toEqual({
      ok: false,
      reason: 'cas_mismatch',
      current: '1',
    });
    expect(store.apply(encodeCommand({ op: 'cas', key: 'a', expect: '1', value: '3' }), 3)).toEqual({ ok: true });
    expect(store.get('a')).toBe('3');
    store.skip(4);
    expect(store.apply(encodeCommand({ op: 'delete', key: 'a' }), 5)).toEqual({ ok: true });
    expect(store.get('a')).toBeNull();
    expect(store.apply(encodeCommand({ op: 'cas', key: 'a', expect: null, value: 'x' }), 6)).toEqual({ ok: true });
    expect(store.get('a')).toBe('x');
    expect(store.appliedIndex).toBe(6);
  });

  it('refuses to apply an index twice or out of order', () => {
    const store = new KvStore();
    store.apply(encodeCommand({ op: 'put', key: 'a', value: '1' }), 1);
    expect(() => store.apply(encodeCommand({ op: 'put', key: 'a', value: '2' }), 1)).toThrow(/once, in order/);
    expect(store.get('a')).toBe('1');
  });
});
