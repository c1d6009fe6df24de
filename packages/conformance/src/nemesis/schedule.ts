import { setTimeout as delay } from 'node:timers/promises';
import { startFault, type ActiveFault, type Fault, type FaultContext } from './faults.js';

/** Options of {@link runNemesis}. */
export interface NemesisOptions extends FaultContext {
  /** The faults to rotate through (picked at random each cycle); empty: no faults. */
  readonly faults: readonly Fault[];
  /** How long a fault stays in effect, in ms: `[min, max]`. */
  readonly faultMs: readonly [number, number];
  /** How long the cluster is left alone between faults, in ms: `[min, max]`. */
  readonly quietMs: readonly [number, number];
  /** Stops the schedule: the fault in effect is undone before {@link runNemesis} resolves. */
  readonly signal: AbortSignal;
  /** Told each time a fault starts (with its description) or ends (`undefined`). */
  readonly onFault?: (description: string | undefined) => void;
}

/**
 * The nemesis schedule: quiet, a fault, quiet, another fault... until `signal` aborts. Faults are
 * chosen at random from `faults`, so several kinds combine over one run. A fault that cannot be
 * applied is recorded as `nemesis-error` and skipped; one that cannot be undone (a killed node
 * would not start again) rejects, because that is itself a finding.
 */
export async function runNemesis(options: NemesisOptions): Promise<void> {
  if (options.faults.length === 0) return;
  const between = ([min, max]: readonly [number, number]): number => min + options.random() * (max - min);
  const wait = (ms: number): Promise<void> => delay(ms, undefined, { signal: options.signal }).catch(() => {});
  while (!options.signal.aborted) {
    await wait(between(options.quietMs));
    if (options.signal.aborted) break;
    const fault = options.faults[Math.floor(options.random() * options.faults.length)]!;
    let active: ActiveFault;
    try {
      active = await startFault(fault, options);
    } catch (error) {
      // Half-applied faults are undone by the final heal; the run goes on.
      options.recorder.nemesis('nemesis-error', { fault, message: (error as Error).message });
      continue;
    }
    options.onFault?.(active.description);
    await wait(between(options.faultMs));
    await active.stop();
    options.onFault?.(undefined);
  }
}
