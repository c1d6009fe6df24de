import type { Outcome } from '../history/types.js';

/** Fill colour of each operation outcome, shared by the timeline, the plots and the legend. */
export const OUTCOME_COLORS: Readonly<Record<Outcome, string>> = {
  ok: '#3a9d5d',
  fail: '#d9534f',
  info: '#f0ad4e',
};

/** Outline of the operations that make up a counterexample. */
export const COUNTEREXAMPLE_COLOR = '#6f2dbd';

/** Shading of the time a fault was in effect. */
export const NEMESIS_COLOR = '#7f8c9a';
