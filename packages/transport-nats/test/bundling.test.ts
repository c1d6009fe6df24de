import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUNDLE_OVERHEAD_BYTES, packBundles, unpackBundle } from '../src/bundling.js';
import { FramingError } from '../src/framing-error.js';
import { Outbox } from '../src/outbox.js';

describe('packBundles / unpackBundle', () => {
  it('round-trips any frames, in order, in bundles no larger than the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 304, max: 5_000 }),
        (frames, maxBundleBytes) => {
          const bundles = packBundles(frames, maxBundleBytes);
          expect(bundles.every((bundle) => bundle.length <= maxBundleBytes)).toBe(true);
          expect(bundles.flatMap(unpackBundle)).toEqual(frames);
        },
      ),
    );
  });

  it('packs a burst of small frames into one bundle', () => {
    const frames = Array.from({ length: 100 }, (_, index) => Uint8Array.of(index, index));
    expect(packBundles(frames, 1024 * 1024)).toHaveLength(1);
  });

  it('refuses a frame that cannot fit in a bundle alone', () => {
    expect(() => packBundles([new Uint8Array(100)], 100 + BUNDLE_OVERHEAD_BYTES - 1)).toThrow(RangeError);
  });

  it('rejects empty, truncated and lying bundles with FramingError only', () => {
    expect(() => unpackBundle(new Uint8Array(0))).toThrow(FramingError);
    expect(() => unpackBundle(Uint8Array.of(0, 0, 0, 5, 1, 2))).toThrow(/claims 5 bytes/);
    expect(() => unpackBundle(Uint8Array.of(0, 0, 0, 0))).toThrow(/claims 0 bytes/);
    expect(() => unpackBundle(Uint8Array.of(0, 0, 0, 1, 9, 0, 0))).toThrow(/truncated/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          const frames = unpackBundle(bytes);
          expect(frames.reduce((sum, frame) => sum + BUNDLE_OVERHEAD_BYTES + frame.length, 0)).toBe(bytes.length);
        } catch (error) {
          expect(error).toBeInstanceOf(FramingError);
        }
      }),
    );
  });
});

describe('Outbox', () => {
  it('hands over each peer’s frames of one turn together, in send order', async () => {
    const delivered: [number, number[]][] = [];
    const outbox = new Outbox((to, frames) => delivered.push([to, frames.map((frame) => frame[0] ?? -1)]));
    outbox.add(2, Uint8Array.of(1));
    outbox.add(3, Uint8Array.of(2));
    outbox.add(2, Uint8Array.of(3));
    expect(delivered).toEqual([]); // nothing leaves inside send()
    await Promise.resolve();
    expect(delivered).toEqual([
      [2, [1, 3]],
      [3, [2]],
    ]);
    outbox.add(2, Uint8Array.of(4));
    outbox.flush();
    expect(delivered.at(-1)).toEqual([2, [4]]);
  });
});
