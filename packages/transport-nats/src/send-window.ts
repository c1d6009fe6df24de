/**
 * Bounds the bytes sent but not yet known to have reached the server.
 *
 * The NATS client buffers every publish in memory until its socket takes it, and keeps buffering
 * while disconnected, so an unbounded sender could grow memory without limit when the server is
 * slow or gone. The window counts bytes from the moment `send` accepts them (reserved, waiting to
 * be published this turn) through publishing (outstanding). Once a quarter of the limit is
 * outstanding it asks the server for a round trip (`flush`: a PING answered by a PONG after
 * everything published before it was processed). When the round trip settles, the bytes it
 * covered are no longer held by the client — delivered, or discarded with a dead connection — and
 * leave the window.
 */
export class SendWindow {
  #reserved = 0;
  #outstanding = 0;
  #confirming = false;

  /**
   * @param limitBytes The most bytes held at once (one message larger than the limit is still let
   *   through when nothing else is held, so that it can be sent at all).
   * @param confirm Resolves or rejects once everything published before the call has left the
   *   client; typically the connection's `flush`.
   */
  constructor(
    private readonly limitBytes: number,
    private readonly confirm: () => Promise<unknown>,
  ) {}

  /** Bytes accepted and not yet confirmed. */
  get held(): number {
    return this.#reserved + this.#outstanding;
  }

  /** Whether `bytes` more may be accepted now. */
  admits(bytes: number): boolean {
    const held = this.held;
    return held === 0 || held + bytes <= this.limitBytes;
  }

  /** Records `bytes` accepted, to be published shortly. */
  reserve(bytes: number): void {
    this.#reserved += bytes;
  }

  /** Records that `bytes` reserved earlier were handed to the client (or given up on). */
  published(bytes: number): void {
    this.#reserved -= bytes;
    this.#outstanding += bytes;
    this.maybeConfirm();
  }

  private maybeConfirm(): void {
    if (this.#confirming || this.#outstanding < this.limitBytes / 4) return;
    this.#confirming = true;
    const covered = this.#outstanding;
    const settle = (): void => {
      this.#outstanding -= covered;
      this.#confirming = false;
      this.maybeConfirm();
    };
    this.confirm().then(settle, settle);
  }
}
