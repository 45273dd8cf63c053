/**
 * The shapes a benchmark scenario is written in, and the results it yields.
 *
 * A scenario file under bench/scenarios/ default-exports one `Scenario`.
 * Each of its cases is one table: the same workload measured on several
 * systems (rhodium, a bare baseline, peer libraries), alternating between
 * them round by round.
 */

/** Run length: `quick` proves the suite works in under a minute; `full` is what docs/benchmarks.md reports. */
export type Mode = 'quick' | 'full';

/** The unit and direction of a trial's number. */
export interface Metric {
  /** Unit printed after the value, such as `msg/s`, `µs` or `B/actor`. */
  readonly unit: string;
  /** Whether a larger value is a better result (throughput) or a worse one (latency, memory). */
  readonly better: 'higher' | 'lower';
}

/**
 * - `rhodium`: a rhodium configuration; the first one in a case is the reference for ratios.
 * - `baseline`: the same work with no runtime at all, the physical limit.
 * - `peer`: a library a user would pick instead.
 */
export type SystemKind = 'rhodium' | 'baseline' | 'peer';

/** A system that is ready for trials. */
export interface Runner {
  /** Runs one timed trial and returns its value in the case's unit. */
  trial(): Promise<number>;
  /** Releases everything `start` created (engines, pools, threads). */
  close(): Promise<void>;
}

/** One system in a case: either something to measure or the reason it cannot be measured. */
export type Contender =
  | {
      readonly name: string;
      readonly kind: SystemKind;
      /** Builds the system and returns a runner; the time it takes is not measured. */
      readonly start: () => Promise<Runner>;
    }
  | {
      readonly name: string;
      readonly kind: SystemKind;
      /** The reason this system has no number here, printed in the table instead of one. */
      readonly unavailable: string;
    };

/** One table: one workload, several systems. */
export interface Case {
  /** Stable identifier, used by targets and in the results file. */
  readonly id: string;
  /** The table's heading: the workload, with the sizes of this mode. */
  readonly label: string;
  readonly metric: Metric;
  readonly contenders: readonly Contender[];
  /** Measured rounds; each runs one trial of every system. @default 2 in quick mode, 10 in full mode */
  readonly rounds?: number;
  /** Rounds run first and discarded, so every system is warmed up by the JIT. @default 1 in quick mode, 2 in full mode */
  readonly warmupRounds?: number;
}

/** A performance goal checked against a scenario's results. */
export interface Target {
  /** The goal in words, such as `rhodium tell >= 50% of the bare loop`. */
  readonly description: string;
  evaluate(results: ScenarioResult): TargetOutcome;
}

export interface TargetOutcome {
  /** `undefined` when a system the target needs has no number. */
  readonly met: boolean | undefined;
  /** The measured figure the verdict rests on, in words. */
  readonly measured: string;
}

export interface Scenario {
  /** Stable identifier, such as `tell-throughput`. */
  readonly id: string;
  readonly title: string;
  /** What is measured and how, in one or two sentences. */
  readonly description: string;
  cases(mode: Mode): readonly Case[];
  readonly targets?: readonly Target[];
}

/** Trial values of one system in one case. */
export type SystemResult =
  | {
      readonly name: string;
      readonly kind: SystemKind;
      readonly status: 'measured';
      /** Trial values in run order, warm-up rounds excluded. */
      readonly samples: readonly number[];
      readonly median: number;
      readonly min: number;
      readonly max: number;
    }
  | {
      readonly name: string;
      readonly kind: SystemKind;
      readonly status: 'unavailable' | 'failed';
      /** The scenario's reason, or the error of a failed trial. */
      readonly reason: string;
    };

export interface CaseResult {
  readonly id: string;
  readonly label: string;
  readonly metric: Metric;
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly systems: readonly SystemResult[];
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly cases: readonly CaseResult[];
  readonly targets: readonly (TargetOutcome & { readonly description: string })[];
  readonly durationMs: number;
}

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly os: string;
}

/** What `npm run bench -- --json FILE` writes and `bench/render.js` reads. */
export interface BenchReport {
  readonly mode: Mode;
  readonly command: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: MachineInfo;
  /** Installed version of rhodium and of each peer library, by package name. */
  readonly versions: Readonly<Record<string, string>>;
  readonly scenarios: readonly ScenarioResult[];
}
