import type { ChildProcess } from 'node:child_process';

/**
 * Every nats-server this process started and has not yet seen exit. On process exit they are
 * killed, so a test run that fails (or forgets `stop()`) leaves no server behind.
 */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  // Only synchronous work is possible in an exit handler; SIGKILL is delivered regardless.
  for (const child of running) child.kill('SIGKILL');
}

/** Tracks `child` until it exits. */
export function registerChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    process.on('exit', killAllOnExit);
    exitHookInstalled = true;
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** The number of tracked servers still running (tests use it to prove nothing leaked). */
export function runningChildCount(): number {
  return running.size;
}
