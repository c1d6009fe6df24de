import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

/**
 * A ZMTP 3.1 peer written by hand over a plain TCP socket (NULL mechanism, DEALER), so that a test
 * controls exactly which bytes reach libzmq in one segment and how the connection ends, which no
 * ZeroMQ socket allows.
 */
export class RawZmtpPeer {
  private received = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
  }

  /** Connects to `tcp://host:port` and completes the handshake. */
  static async connect(address: string): Promise<RawZmtpPeer> {
    const { hostname, port } = new URL(address.replace(/^tcp:/, 'http:'));
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    const peer = new RawZmtpPeer(socket);
    const greeting = Buffer.alloc(64);
    greeting[0] = 0xff;
    greeting[9] = 0x7f;
    greeting.writeUInt8(3, 10);
    greeting.writeUInt8(1, 11);
    greeting.write('NULL', 12, 'ascii');
    socket.write(Buffer.concat([greeting, command(Buffer.concat([Buffer.from('\x05READY'), property('Socket-Type', 'DEALER')]))]));
    await peer.waitFor('\x05READY', 'the other side of the handshake');
    return peer;
  }

  /** Writes `parts` (see {@link frame} and {@link PING}) in a single write. */
  write(parts: readonly Buffer[]): void {
    this.socket.write(Buffer.concat(parts));
  }

  /** Resolves once the bytes of `text` have arrived, in any command or frame. */
  async waitFor(text: string, what: string): Promise<void> {
    while (!this.received.includes(text, 0, 'latin1')) {
      if (this.socket.destroyed) throw new Error(`the connection closed before ${what} arrived`);
      await once(this.socket, 'data');
    }
  }

  /** Ends the connection with a TCP reset, as the kernel does for a killed process with unread data. */
  reset(): void {
    this.socket.resetAndDestroy();
  }
}

/** A message of one short frame. */
export function frame(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x00, body.length]), body]);
}

function command(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x04, body.length]), body]);
}

function property(name: string, value: string): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name), length, Buffer.from(value)]);
}

/** A ZMTP heartbeat (PING command) with no time-to-live and the context `context`, echoed by the PONG. */
export function ping(context: string): Buffer {
  return command(Buffer.concat([Buffer.from('\x04PING\x00\x00'), Buffer.from(context)]));
}
