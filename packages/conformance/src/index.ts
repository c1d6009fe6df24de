/**
 * @raft/conformance: the Jepsen-style kit for Raft. This entry point holds the history model
 * (types, JSON Lines reading and writing, pairing into operations), the linearizability checker,
 * a simulator of linearizable register histories to exercise both, the HTML report of a run, and
 * the runner: the register workload, the nemeses and one run against a {@link ClusterUnderTest}.
 * The adapter contract suites live on their own subpaths, `@raft/conformance/storage-suite` and
 * `@raft/conformance/transport-suite`.
 *
 * @packageDocumentation
 */
export type {
  ClientEvent,
  EventType,
  HistoryEvent,
  HistoryProblem,
  JsonValue,
  NemesisEvent,
  OpFunction,
  Operation,
  Outcome,
} from './history/types.js';
export {
  formatProblems,
  HistoryParser,
  parseHistory,
  parseHistoryLine,
  parseHistoryLines,
  type ParsedHistory,
  type ParsedLine,
  type ParseOptions,
} from './history/parse.js';
export { readHistoryFile } from './history/read-file.js';
export { formatHistory, formatHistoryEvent, writeHistoryFile } from './history/write.js';
export { pairOperations, type PairedHistory, type PairOptions } from './history/operations.js';
export { checkHistory, HistoryFormatError } from './checker/check.js';
export type { CheckOptions, CheckResult, Counterexample, KeyResult, Verdict } from './checker/types.js';
export { injectStaleRead, simulateRegisterHistory, type SimulationOptions } from './history/simulate.js';
export {
  escapeMarkup,
  nemesisWindows,
  OUTCOME_COLORS,
  renderReport,
  summarizeRun,
  verdictName,
  writeRunArtifacts,
  type NemesisWindow,
  type OutcomeCounts,
  type Report,
  type RunArtifacts,
  type RunSummary,
  type TimeSpan,
} from './report/index.js';
export { HistoryRecorder } from './history/recorder.js';
export { KvClient, type KvClientOptions, type OpOutcome } from './workload/kv-client.js';
export { finalReads, runRegisterWorkload, type RegisterWorkloadOptions } from './workload/register-workload.js';
export { partition, PARTITION_PATTERNS, type Partition, type PartitionPattern } from './nemesis/partitions.js';
export { currentLeader, FAULTS, startFault, type ActiveFault, type Fault, type FaultContext } from './nemesis/faults.js';
export { runNemesis, type NemesisOptions } from './nemesis/schedule.js';
export type { ClusterUnderTest, NetworkFaults } from './runner/cluster-under-test.js';
export { runConformance, type ConformanceRunOptions, type ConformanceRunResult, type RunProgress } from './runner/run.js';
