import { CodecError } from './codec-error.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

// A process almost always talks for one cluster, so the last conversion is remembered instead of
// re-encoding the same string for every frame.
let lastId: string | undefined;
let lastBytes: Uint8Array = new Uint8Array(0);

/** The UTF-8 bytes of a cluster id. */
export function clusterIdBytes(clusterId: string): Uint8Array {
  if (clusterId !== lastId) {
    lastBytes = utf8.encode(clusterId);
    lastId = clusterId;
  }
  return lastBytes;
}

/** Throws unless the cluster id read from a frame is the one this node belongs to. */
export function checkClusterId(found: Uint8Array, expected: string): void {
  const expectedBytes = clusterIdBytes(expected);
  if (sameBytes(found, expectedBytes)) return;
  throw new CodecError(
    `frame is from cluster '${utf8Decoder.decode(found)}', this node is in cluster '${expected}'; ` +
      'check that every node of the cluster is configured with the same cluster id and address list',
  );
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
