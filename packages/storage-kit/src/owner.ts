/**
 * Whether process `pid` exists on this host (a signal-0 probe; `EPERM` means it exists under
 * another user). A lock or claim naming a pid that no longer runs was left by a process that died
 * without releasing it (a crash, SIGKILL, a power cut) and may be taken over.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
