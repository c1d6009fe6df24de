import { connect, type Socket } from 'node:net';

/** The server answered with something that is not an HTTP/1.1 response this client understands. */
export class ResponseParseError extends Error {
  override readonly name = 'ResponseParseError';
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** Response heads larger than this are refused rather than buffered without end. */
const MAX_HEAD_BYTES = 16 * 1024;

interface Pending {
  resolve(status: number): void;
  reject(error: Error): void;
}

/**
 * One keep-alive HTTP/1.1 connection carrying one request at a time, for the load generator.
 *
 * Node's `http.request` costs the client tens of microseconds of CPU per request (agent, streams,
 * events), and on a 2-core machine shared with the cluster that CPU comes out of the cluster's: the
 * bench's client used half a core at 64 clients. Load generators such as wrk
 * write prebuilt requests to a socket and parse just enough of the response; this does the same.
 * It reads the status line, `Content-Length` or `chunked` framing and `Connection: close`, and
 * skips the body. A connection that fails or is closed is opened again by the next request.
 */
export class KeepAliveConnection {
  #socket: Socket | undefined;
  #pending: Pending | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  readonly #hostHeader: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.#hostHeader = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  /** Sends one request and resolves with the response's status code once its body has arrived. */
  request(method: string, path: string, body?: string): Promise<number> {
    if (this.#pending !== undefined) return Promise.reject(new Error('a request is already outstanding on this connection'));
    const head =
      `${method} ${path} HTTP/1.1\r\nhost: ${this.#hostHeader}\r\n` +
      (body === undefined ? '\r\n' : `content-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    return new Promise<number>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#open().write(head);
    });
  }

  /** Closes the connection; an outstanding request fails. */
  close(): void {
    this.#fail(new Error('connection closed by the client'));
  }

  #open(): Socket {
    if (this.#socket !== undefined) return this.#socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the server closed the connection')));
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    return socket;
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let parsed: { status: number; length: number; close: boolean } | undefined;
    try {
      parsed = parseResponse(this.#buffer);
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    if (parsed === undefined) return;
    if (this.#pending === undefined) {
      this.#fail(new ResponseParseError('the server sent a response nobody asked for'));
      return;
    }
    this.#buffer = this.#buffer.subarray(parsed.length);
    const pending = this.#pending;
    this.#pending = undefined;
    if (parsed.close || this.#buffer.length > 0) this.#drop();
    pending.resolve(parsed.status);
  }

  #fail(error: Error): void {
    this.#drop();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }

  #drop(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#buffer = Buffer.alloc(0);
    socket?.removeAllListeners().on('error', () => {}).destroy();
  }
}

/**
 * Parses one complete response at the start of `data`: its status, its length in bytes (head and
 * body) and whether the server will close the connection after it. `undefined` while incomplete.
 */
export function parseResponse(data: Buffer): { status: number; length: number; close: boolean } | undefined {
  const headEnd = data.indexOf(HEADER_END);
  if (headEnd < 0) {
    if (data.length > MAX_HEAD_BYTES) throw new ResponseParseError(`response head longer than ${MAX_HEAD_BYTES} bytes`);
    return undefined;
  }
  const lines = data.toString('latin1', 0, headEnd).split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]!);
  if (statusLine === null) throw new ResponseParseError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0]!.slice(0, 80))}`);
  let contentLength: number | undefined;
  let chunked = false;
  let close = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ResponseParseError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value)) throw new ResponseParseError(`invalid content-length: ${JSON.stringify(value)}`);
      contentLength = Number(value);
    } else if (name === 'transfer-encoding') chunked = value.toLowerCase().split(',').map((s) => s.trim()).includes('chunked');
    else if (name === 'connection') close = value.toLowerCase() === 'close';
  }
  const bodyStart = headEnd + HEADER_END.length;
  const status = Number(statusLine[1]);
  if (chunked) {
    const end = chunkedBodyEnd(data, bodyStart);
    return end === undefined ? undefined : { status, length: end, close };
  }
  // Without either framing the body runs to the end of the connection (RFC 9112 §6.3).
  if (contentLength === undefined) throw new ResponseParseError('response has neither content-length nor chunked encoding');
  const end = bodyStart + contentLength;
  return data.length < end ? undefined : { status, length: end, close };
}

/** Where a chunked body starting at `offset` ends (after its trailer), or `undefined` while incomplete. */
function chunkedBodyEnd(data: Buffer, offset: number): number | undefined {
  let at = offset;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const sizeText = data.toString('latin1', at, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new ResponseParseError(`invalid chunk size: ${JSON.stringify(sizeText.slice(0, 20))}`);
    const size = parseInt(sizeText, 16);
    if (size === 0) {
      // Trailer fields, if any, end with an empty line.
      const trailerEnd = data.indexOf('\r\n', lineEnd + 2);
      if (trailerEnd < 0) return undefined;
      if (trailerEnd === lineEnd + 2) return trailerEnd + 2;
      const end = data.indexOf(HEADER_END, lineEnd);
      return end < 0 ? undefined : end + HEADER_END.length;
    }
    const next = lineEnd + 2 + size + 2;
    if (data.length < next) return undefined;
    if (data[next - 2] !== 0x0d || data[next - 1] !== 0x0a) throw new ResponseParseError('chunk not followed by CRLF');
    at = next;
  }
}
