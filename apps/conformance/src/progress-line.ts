import type { RunProgress } from '@raft/conformance';

/**
 * The live status of a run on stderr: rewritten in place on a terminal, a plain line every five
 * seconds otherwise (CI logs).
 */
export class ProgressLine {
  readonly #tty = process.stderr.isTTY === true;
  #lastPrinted = 0;

  constructor(readonly label: string) {}

  update(p: RunProgress): void {
    const line = `${this.label} ${p.phase} ${p.elapsedSeconds.toFixed(0)}s/${p.seconds}s  ok ${p.ok}  fail ${p.fail}  info ${p.info}${p.fault ? `  [${p.fault}]` : ''}`;
    if (this.#tty) {
      process.stderr.write(`\r\x1b[2K${line}`);
    } else if (p.elapsedSeconds - this.#lastPrinted >= 5) {
      this.#lastPrinted = p.elapsedSeconds;
      process.stderr.write(`${line}\n`);
    }
  }

  /** Ends the line (on a terminal) so that what follows starts on its own. */
  done(): void {
    if (this.#tty) process.stderr.write('\n');
  }
}
