export { renderReport, writeRunArtifacts, type Report, type RunArtifacts } from './report.js';
export { summarizeRun, verdictName, type OutcomeCounts, type RunSummary } from './summary.js';
export { nemesisWindows, type NemesisWindow } from './nemesis-windows.js';
export { OUTCOME_COLORS } from './palette.js';
export type { TimeSpan } from './frame.js';
export { escapeMarkup } from './svg.js';
