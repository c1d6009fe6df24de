import type { NodeId } from '@raft/core';

/** Characters that are not allowed in a NATS subject token. */
const NOT_A_TOKEN = /[\s.*>]/;

/**
 * Checks that `value` can be one token of a NATS subject: non-empty, without whitespace, dots or
 * wildcards (a prefix may contain dots: it is several tokens).
 *
 * @throws TypeError naming the option and what is wrong with it.
 */
export function assertSubjectTokens(option: string, value: string, allowDots: boolean): void {
  const tokens = allowDots ? value.split('.') : [value];
  if (tokens.some((token) => token === '' || NOT_A_TOKEN.test(token))) {
    throw new TypeError(
      `${option} ${JSON.stringify(value)} cannot be used in a NATS subject: use letters, digits, '-' or '_'` +
        (allowDots ? `, with '.' between tokens` : ', without dots'),
    );
  }
}

/**
 * The subjects a cluster's nodes listen on: `<prefix>.<cluster>.<id>` for whole frames and
 * `<prefix>.<cluster>.<id>.chunk` for chunks of frames larger than the server's max_payload.
 * Whole frames and chunks travel on different subjects so that a whole frame, the common case,
 * needs no envelope and no copy.
 */
export class Subjects {
  readonly #base: string;
  /** Built once per peer: `send` is hot and a cluster has few nodes. */
  readonly #frames = new Map<NodeId, string>();

  constructor(prefix: string, cluster: string) {
    assertSubjectTokens('subjectPrefix', prefix, true);
    assertSubjectTokens('cluster', cluster, false);
    this.#base = `${prefix}.${cluster}`;
  }

  /** Where whole frames for `node` are published. */
  frames(node: NodeId): string {
    let subject = this.#frames.get(node);
    if (subject === undefined) {
      subject = `${this.#base}.${node}`;
      this.#frames.set(node, subject);
    }
    return subject;
  }

  /** Where chunks of frames for `node` are published. */
  chunks(node: NodeId): string {
    return `${this.#base}.${node}.chunk`;
  }
}
