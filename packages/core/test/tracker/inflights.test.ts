import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Inflights } from '../../src/tracker/inflights.js';

type Op = { kind: 'add' } | { kind: 'freeTo'; by: number } | { kind: 'freeFirst' } | { kind: 'reset' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ kind: 'add' as const }),
  fc.record({ kind: fc.constant('freeTo' as const), by: fc.nat({ max: 6 }) }),
  fc.constant({ kind: 'freeFirst' as const }),
  fc.constant({ kind: 'reset' as const }),
);

describe('Inflights', () => {
  it('behaves like a bounded FIFO of increasing indexes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const inflights = new Inflights(capacity);
        let model: number[] = [];
        let last = 0;
        for (const o of ops) {
          switch (o.kind) {
            case 'add':
              if (model.length === capacity) {
                expect(() => inflights.add(last + 1)).toThrow(/while full/);
                break;
              }
              last += 1 + (last % 3);
              inflights.add(last);
              model.push(last);
              break;
            case 'freeTo': {
              // Acknowledge somewhere around the oldest outstanding message.
              const upTo = (model[0] ?? last) + o.by - 3;
              inflights.freeTo(upTo);
              model = model.filter((index) => index > upTo);
              break;
            }
            case 'freeFirst':
              inflights.freeFirst();
              model.shift();
              break;
            case 'reset':
              inflights.reset();
              model = [];
              break;
          }
          expect(inflights.count).toBe(model.length);
          expect(inflights.full).toBe(model.length === capacity);
        }
      }),
    );
  });
});
