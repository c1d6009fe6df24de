import type { ChildProcess } from 'node:child_process';

/**
 * Every nats-server this process started and has not yet seen exit. They are killed when this
 * process exits or is told to terminate, so a test run that fails, is interrupted, or forgets
 * `stop()` leaves no server behind.
 */
const running = new Set<ChildProcess>();
const TERMINATING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooksInstalled = false;

function killAll(): void {
  // Only synchronous work is possible here; SIGKILL is delivered regardless.
  for (const child of running) child.kill('SIGKILL');
}

function onTerminatingSignal(signal: NodeJS.Signals): void {
  killAll();
  // Listening for a signal cancels Node's default of dying from it. Restore that default unless
  // someone else handles the signal, then re-raise it so the process ends as it would have.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHooks(): void {
  process.on('exit', killAll);
  for (const signal of TERMINATING_SIGNALS) process.once(signal, onTerminatingSignal);
  hooksInstalled = true;
}

/** Tracks `child` until it exits. */
export function registerChild(child: ChildProcess): void {
  if (!hooksInstalled) installHooks();
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** The number of tracked servers still running (tests use it to prove nothing leaked). */
export function runningChildCount(): number {
  return running.size;
}
