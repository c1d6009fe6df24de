/** The time span a report draws, in the history's nanoseconds. */
export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

/** Maps history time to a horizontal pixel position inside a plot area. */
export function timeScale(span: TimeSpan, left: number, width: number): (time: number) => number {
  const length = Math.max(span.end - span.start, 1);
  return (time) => left + ((Math.min(time, span.end) - span.start) / length) * width;
}

/** Seconds since the span's start, for labels. */
export function secondsInto(span: TimeSpan, time: number): number {
  return (time - span.start) / 1e9;
}
