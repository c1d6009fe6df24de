import type { JsonValue, NemesisEvent } from '../history/types.js';

/** A stretch of time during which one fault was in effect. */
export interface NemesisWindow {
  /** The fault, e.g. `"partition"`, `"kill"`, `"pause"`. */
  readonly fault: string;
  /** What the fault did (which nodes, which halves), as recorded when it started. */
  readonly detail: JsonValue;
  readonly start: number;
  /** When the fault was undone; the end of the history if it never was. */
  readonly end: number;
}

const START = /^start-(.+)$/;
const STOP = /^stop-(.+)$/;

/**
 * Turns nemesis events into windows: `start-<fault>` opens one, the next `stop-<fault>` closes the
 * oldest open window of that fault. Other nemesis events are instants and are not windows.
 *
 * @param historyEnd - closes windows whose fault was never undone.
 */
export function nemesisWindows(events: readonly NemesisEvent[], historyEnd: number): NemesisWindow[] {
  const windows: NemesisWindow[] = [];
  const open = new Map<string, { detail: JsonValue; start: number }[]>();
  for (const event of events) {
    const start = START.exec(event.f);
    if (start) {
      const fault = start[1]!;
      open.set(fault, [...(open.get(fault) ?? []), { detail: event.value ?? null, start: event.time }]);
      continue;
    }
    const stop = STOP.exec(event.f);
    const opened = stop ? open.get(stop[1]!)?.shift() : undefined;
    if (stop && opened) windows.push({ fault: stop[1]!, ...opened, end: event.time });
  }
  for (const [fault, starts] of open) for (const s of starts) windows.push({ fault, ...s, end: historyEnd });
  return windows.sort((a, b) => a.start - b.start);
}
