/**
 * Bounds the bytes published but not yet known to have reached the server.
 *
 * The NATS client buffers every publish in memory until its socket takes it, and keeps buffering
 * while disconnected, so an unbounded sender could grow memory without limit when the server is
 * slow or gone. The window counts published bytes and, once a quarter of the limit is outstanding,
 * asks the server for a round trip (`flush`, a PING answered by a PONG after everything sent
 * before it was processed). When the round trip settles those bytes are no longer held by the
 * client — delivered, or discarded with a dead connection — and leave the window.
 */
export class SendWindow {
  #outstanding = 0;
  #confirming = false;

  /**
   * @param limitBytes The most bytes outstanding at once (one message larger than the limit is
   *   still let through when nothing else is outstanding, so it can be sent at all).
   * @param confirm Resolves or rejects once everything published before the call has left the
   *   client; typically the connection's `flush`.
   */
  constructor(
    private readonly limitBytes: number,
    private readonly confirm: () => Promise<unknown>,
  ) {}

  /** Bytes published and not yet confirmed. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** Whether `bytes` more may be published now. */
  admits(bytes: number): boolean {
    return this.#outstanding === 0 || this.#outstanding + bytes <= this.limitBytes;
  }

  /** Records `bytes` just published. */
  add(bytes: number): void {
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
