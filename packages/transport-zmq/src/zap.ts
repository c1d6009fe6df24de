import { Context, Reply } from 'zeromq';
import type { NodeId } from '@raft/core';
import { bindRetrying } from './listener.js';

/**
 * Client authentication of CURVE listeners with ZeroMQ's ZAP (RFC 27).
 *
 * libzmq asks the ZAP handler of a socket's context, a REP socket bound at
 * `inproc://zeromq.zap.01`, whether to admit each connecting client, passing the listener's ZAP
 * domain and the client's CURVE public key. There is one such endpoint per context, and a context
 * made with `new Context()` keeps an OS thread until the process exits (zeromq.js cannot terminate
 * one), so rather than a context per transport, every CURVE transport of the process puts its
 * sockets in one context of its own (see {@link curveContext}) and one handler serves them all:
 * each listener has a ZAP domain of its own, under which its transport registered the keys it
 * admits. The handler is bound when the first CURVE transport starts and closed when the last one
 * closes. Listeners also set `zapEnforceDomain`, so that a connection libzmq cannot ask a handler
 * about (none bound) is refused rather than admitted.
 */

const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';
const ZAP_VERSION = '1.0';

/** Client keys logged when refused; past this many distinct keys, refusals are only counted. */
const MAX_LOGGED_KEYS = 256;

const Z85_DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/**
 * Encodes `bytes` (a multiple of 4 bytes long) in Z85 (ZeroMQ RFC 32), the text form of CURVE
 * keys: each 4 bytes, read as a big-endian integer, become 5 base-85 digits, most significant first.
 */
export function z85Encode(bytes: Uint8Array): string {
  if (bytes.length % 4 !== 0) throw new RangeError(`Z85 encodes multiples of 4 bytes, got ${bytes.length}`);
  let text = '';
  for (let i = 0; i < bytes.length; i += 4) {
    let value = bytes[i]! * 0x1000000 + bytes[i + 1]! * 0x10000 + bytes[i + 2]! * 0x100 + bytes[i + 3]!;
    let group = '';
    for (let digit = 0; digit < 5; digit++) {
      group = Z85_DIGITS[value % 85]! + group;
      value = Math.floor(value / 85);
    }
    text += group;
  }
  return text;
}

let sharedContext: Context | undefined;

/** The context of every socket of every CURVE transport in this process, made on first use. */
export function curveContext(): Context {
  // Every socket of the transports sets `linger: 0`; `blocky: false` makes it the default too.
  sharedContext ??= new Context({ blocky: false });
  return sharedContext;
}

/** What one listener admits, and whom it tells about refusals. */
interface ZapPolicy {
  /** Node id by the Z85 public key of each client admitted. */
  readonly clients: ReadonlyMap<string, NodeId>;
  refused(address: string, key: string): void;
  warn(message: string): void;
}

/** The ZAP handler of {@link curveContext}: one REP socket answering for every registered domain. */
class ZapHandler {
  readonly ready: Promise<void>;
  readonly #socket = new Reply({ context: curveContext(), linger: 0 });

  constructor(private readonly policies: ReadonlyMap<string, ZapPolicy>) {
    this.ready = this.bind();
  }

  get closed(): boolean {
    return this.#socket.closed;
  }

  close(): void {
    this.#socket.close();
  }

  private async bind(): Promise<void> {
    try {
      // The endpoint of a handler closed a moment ago is released by libzmq in the background.
      await bindRetrying(this.#socket, ZAP_ENDPOINT, () => this.closed);
    } catch (error) {
      this.close();
      throw error;
    }
    void this.serve();
  }

  private async serve(): Promise<void> {
    const socket = this.#socket;
    for (;;) {
      let request: Buffer[];
      try {
        request = await socket.receive();
      } catch (error) {
        // Closing the socket ends a pending receive. Anything else would repeat forever: stop, and
        // since listeners enforce the domain, every new connection is then refused.
        if (!socket.closed) this.failed(error);
        return;
      }
      try {
        await socket.send(this.answer(request));
      } catch (error) {
        if (!socket.closed) this.failed(error);
        return;
      }
    }
  }

  /** The reply to one ZAP request: version, request id, status code and text, user id, metadata. */
  private answer(request: Buffer[]): (Buffer | string)[] {
    const [version, requestId, domain, address, , mechanism, key] = request;
    const reply = (status: '200' | '400', text: string, userId = ''): (Buffer | string)[] => [
      ZAP_VERSION,
      requestId ?? '',
      status,
      text,
      userId,
      '',
    ];
    const policy = domain === undefined ? undefined : this.policies.get(domain.toString('latin1'));
    if (version?.toString('latin1') !== ZAP_VERSION || policy === undefined) return reply('400', 'no such listener');
    if (mechanism?.toString('latin1') !== 'CURVE' || key?.length !== 32) return reply('400', 'CURVE required');
    const publicKey = z85Encode(key);
    const node = policy.clients.get(publicKey);
    if (node === undefined) {
      policy.refused(address?.toString('latin1') ?? '?', publicKey);
      return reply('400', 'unknown public key');
    }
    return reply('200', 'OK', String(node));
  }

  private failed(error: unknown): void {
    // Closed, so that the next CURVE transport to start binds a new handler.
    this.close();
    const reason = error instanceof Error ? error.message : String(error);
    for (const policy of this.policies.values()) {
      policy.warn(`the CURVE client authentication (ZAP) handler stopped: ${reason}; new connections are refused until another CURVE transport starts in this process`);
    }
  }
}

const policies = new Map<string, ZapPolicy>();
let handler: ZapHandler | undefined;
let domains = 0;

/**
 * Admits to one CURVE listener only the clients whose public key is among `peerKeys`, each
 * refusal counted, and logged once per key. Give the listener `domain` as its ZAP domain.
 */
export class ClientAuthenticator {
  readonly domain = `raft-transport-zmq-${++domains}`;
  #refused = 0;
  #registered = false;
  readonly #clients = new Map<string, NodeId>();
  readonly #loggedKeys = new Set<string>();

  constructor(
    peerKeys: ReadonlyMap<NodeId, string>,
    private readonly warn: (message: string) => void,
  ) {
    for (const [peer, key] of peerKeys) this.#clients.set(key, peer);
  }

  /** Connections refused because the client's key is not a peer's. */
  get refused(): number {
    return this.#refused;
  }

  /**
   * Registers the domain, binding the process's ZAP handler if it is the first; resolves once the
   * handler answers.
   *
   * @throws the bind error when the handler cannot be bound (the registration is then undone).
   */
  async open(): Promise<void> {
    if (this.#registered) return;
    this.#registered = true;
    policies.set(this.domain, {
      clients: this.#clients,
      refused: (address, key) => this.refuse(address, key),
      warn: this.warn,
    });
    if (handler === undefined || handler.closed) handler = new ZapHandler(policies);
    try {
      await handler.ready;
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /** Unregisters the domain, closing the process's ZAP handler if it was the last. Idempotent. */
  close(): void {
    if (!this.#registered) return;
    this.#registered = false;
    policies.delete(this.domain);
    if (policies.size === 0) {
      handler?.close();
      handler = undefined;
    }
  }

  private refuse(address: string, key: string): void {
    this.#refused++;
    if (this.#loggedKeys.has(key) || this.#loggedKeys.size >= MAX_LOGGED_KEYS) return;
    this.#loggedKeys.add(key);
    this.warn(
      `refused a connection from ${address}: its CURVE public key ${key} is not among curve.peerKeys ` +
        '(further connections with this key are refused without logging)',
    );
  }
}

/** For tests: whether the process's ZAP handler socket is open, and how many listeners use it. */
export function zapHandlerState(): { readonly open: boolean; readonly domains: number } {
  return { open: handler !== undefined && !handler.closed, domains: policies.size };
}
