import type { JsonValue } from '../history/types.js';

/** How a register operation ended, in the history's terms. */
export interface OpOutcome {
  readonly type: 'ok' | 'fail' | 'info';
  /** A successful read's value (`null` if the key was absent). */
  readonly value?: JsonValue;
  /** Why it did not succeed, for logs (HTTP status and error, or the network error). */
  readonly reason?: string;
}

/** Options of {@link KvClient}. */
export interface KvClientOptions {
  /** How long to wait for an answer before recording the operation as indeterminate. */
  readonly timeoutMs: number;
  /** Read with `?consistency=stale` (the local state machine): NOT linearizable, for proving the checker bites. */
  readonly staleReads?: boolean;
}

/**
 * The register operations of the conformance workload over the KV HTTP API of DESIGN.md, each
 * classified by what the answer proves:
 *
 * - `ok`: 200 (a read's 404 is `ok` with `null`).
 * - `fail`: the operation definitely did not take effect: 503 and 4xx answers, a cas's 409, a
 *   connection refused before the request was sent, and any read that did not succeed (a read
 *   changes nothing, so it can always be counted as not having happened).
 * - `info`: anything else for a write or cas: 504, a timeout, a connection lost mid-request. The
 *   write may still commit, so the history must say so.
 */
export class KvClient {
  constructor(
    readonly baseUrl: string,
    readonly options: KvClientOptions,
  ) {}

  /** Reads `key`; values that look like integers are read back as numbers (the workload writes integers). */
  async read(key: string): Promise<OpOutcome> {
    const query = this.options.staleReads ? '?consistency=stale' : '';
    const answer = await this.#request('GET', `/v1/kv/${encodeURIComponent(key)}${query}`);
    if ('error' in answer) return { type: 'fail', reason: answer.error };
    if (answer.status === 200) return { type: 'ok', value: parseValue(answer.body) };
    if (answer.status === 404) return { type: 'ok', value: null };
    return { type: 'fail', reason: `HTTP ${answer.status} ${answer.body}` };
  }

  /** Writes `value` to `key`. */
  async write(key: string, value: number): Promise<OpOutcome> {
    const answer = await this.#request('PUT', `/v1/kv/${encodeURIComponent(key)}`, String(value));
    return classifyWrite(answer);
  }

  /** Sets `key` to `value` if it holds `expect` (`null`: if it is absent). */
  async cas(key: string, expect: number | null, value: number): Promise<OpOutcome> {
    const body = JSON.stringify({ expect: expect === null ? null : String(expect), value: String(value) });
    const answer = await this.#request('POST', `/v1/kv/${encodeURIComponent(key)}/cas`, body);
    if (!('error' in answer) && answer.status === 409) return { type: 'fail', reason: 'cas_mismatch' };
    return classifyWrite(answer);
  }

  async #request(method: string, path: string, body?: string): Promise<{ status: number; body: string } | { error: string; sent: boolean }> {
    try {
      const reply = await fetch(`${this.baseUrl}${path}`, { method, body, signal: AbortSignal.timeout(this.options.timeoutMs) });
      return { status: reply.status, body: await reply.text() };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      // Refused means nothing was listening: the request never left this machine's TCP stack.
      const sent = cause?.code !== 'ECONNREFUSED';
      return { error: `${(error as Error).name}: ${cause?.code ?? (error as Error).message}`, sent };
    }
  }
}

function classifyWrite(answer: { status: number; body: string } | { error: string; sent: boolean }): OpOutcome {
  if ('error' in answer) return { type: answer.sent ? 'info' : 'fail', reason: answer.error };
  if (answer.status === 200) return { type: 'ok' };
  const reason = `HTTP ${answer.status} ${answer.body}`;
  // 503 promises "not applied"; other 4xx are refusals before anything was proposed.
  if (answer.status === 503 || (answer.status >= 400 && answer.status < 500)) return { type: 'fail', reason };
  return { type: 'info', reason };
}

function parseValue(text: string): JsonValue {
  return /^-?[0-9]{1,15}$/.test(text) ? Number(text) : text;
}
