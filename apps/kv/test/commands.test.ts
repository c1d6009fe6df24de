import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, type KvCommand } from '../src/kv/commands.js';

const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key: fc.string(), value: fc.string() }),
  fc.record({ op: fc.constant('delete' as const), key: fc.string() }),
  fc.record({ op: fc.constant('cas' as const), key: fc.string(), expect: fc.option(fc.string(), { nil: null }), value: fc.string() }),
);

describe('KV command codec', () => {
  it('round-trips every command, keeping "absent" and "empty" expectations apart', () => {
    fc.assert(
      fc.property(command, (c) => {
        expect(decodeCommand(encodeCommand(c))).toEqual(c);
      }),
    );
    expect(decodeCommand(encodeCommand({ op: 'cas', key: 'k', expect: '', value: 'v' }))).toMatchObject({ expect: '' });
    expect(decodeCommand(encodeCommand({ op: 'cas', key: 'k', expect: null, value: 'v' }))).toMatchObject({ expect: null });
  });

  it('rejects garbage with a TypeError naming the problem, never anything else', () => {
    expect(() => decodeCommand(new Uint8Array([9]))).toThrow(/unknown KV command op 9/);
    expect(() => decodeCommand(new Uint8Array([1, 0, 0, 0, 5, 65]))).toThrow(/key runs past its end/);
    const valid = encodeCommand({ op: 'put', key: 'a', value: 'b' });
    expect(() => decodeCommand(new Uint8Array([...valid, 0]))).toThrow(/trailing/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decodeCommand(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      }),
    );
  });
});
