/**
 * Runs the cases of one scenario: starts every system of a case, then runs
 * rounds in which each system runs one trial, rotating the order every round
 * so that drift of the machine (thermal state, other load, heap growth) hits
 * all systems alike. Warm-up rounds run first and are discarded.
 */

import { median } from './stats.js';
import type { Case, CaseResult, Contender, Mode, Runner, Scenario, ScenarioResult, SystemResult } from './types.js';

/** Progress lines go to stderr so that stdout carries only the report. */
export type Log = (line: string) => void;

const defaultRounds: Record<Mode, { rounds: number; warmupRounds: number }> = {
  quick: { rounds: 2, warmupRounds: 1 },
  full: { rounds: 10, warmupRounds: 2 },
};

interface Entry {
  readonly contender: Contender;
  runner: Runner | undefined;
  readonly samples: number[];
  error: string | undefined;
}

/** Runs every case of `scenario` and evaluates its targets. */
export async function runScenario(scenario: Scenario, mode: Mode, log: Log): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const cases: CaseResult[] = [];
  for (const benchCase of scenario.cases(mode)) {
    cases.push(await runCase(benchCase, mode, log));
  }

  const partial: ScenarioResult = {
    id: scenario.id,
    title: scenario.title,
    description: scenario.description,
    cases,
    targets: [],
    durationMs: 0,
  };
  const targets = (scenario.targets ?? []).map((target) => ({
    description: target.description,
    ...target.evaluate(partial),
  }));
  return { ...partial, targets, durationMs: performance.now() - startedAt };
}

async function runCase(benchCase: Case, mode: Mode, log: Log): Promise<CaseResult> {
  const rounds = benchCase.rounds ?? defaultRounds[mode].rounds;
  const warmupRounds = benchCase.warmupRounds ?? defaultRounds[mode].warmupRounds;
  log(`  ${benchCase.label}`);

  const entries: Entry[] = [];
  for (const contender of benchCase.contenders) {
    const entry: Entry = { contender, runner: undefined, samples: [], error: undefined };
    entries.push(entry);
    if (!('start' in contender)) continue;
    try {
      entry.runner = await contender.start();
    } catch (error) {
      entry.error = `start failed: ${describeError(error)}`;
    }
  }

  const measurable = entries.filter((entry) => entry.runner !== undefined);
  for (let round = 0; round < warmupRounds + rounds; round++) {
    // Rotate so that no system always runs first (on a cold cache) or last (on a grown heap).
    const order = measurable.map((_, i) => measurable[(i + round) % measurable.length] as Entry);
    for (const entry of order) {
      if (entry.runner === undefined) continue;
      const value = await runTrial(entry);
      if (value !== undefined && round >= warmupRounds) entry.samples.push(value);
    }
  }

  for (const entry of entries) await closeRunner(entry);
  const systems = entries.map(toSystemResult);
  for (const system of systems) {
    const shown = system.status === 'measured' ? `${formatNumber(system.median)} ${benchCase.metric.unit}` : system.status;
    log(`    ${system.name}: ${shown}`);
  }
  return { id: benchCase.id, label: benchCase.label, metric: benchCase.metric, rounds, warmupRounds, systems };
}

/** Runs one trial on a clean heap; a throw or a non-finite value marks the system failed and closes it. */
async function runTrial(entry: Entry): Promise<number | undefined> {
  const runner = entry.runner as Runner;
  collectGarbage();
  try {
    const value = await runner.trial();
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`trial returned ${String(value)}`);
    return value;
  } catch (error) {
    entry.error = `trial failed: ${describeError(error)}`;
    await closeRunner(entry);
    return undefined;
  }
}

async function closeRunner(entry: Entry): Promise<void> {
  const runner = entry.runner;
  if (runner === undefined) return;
  entry.runner = undefined;
  try {
    await runner.close();
  } catch (error) {
    entry.error ??= `close failed: ${describeError(error)}`;
  }
}

function toSystemResult(entry: Entry): SystemResult {
  const { name, kind } = entry.contender;
  if (!('start' in entry.contender)) return { name, kind, status: 'unavailable', reason: entry.contender.unavailable };
  if (entry.error !== undefined || entry.samples.length === 0) {
    return { name, kind, status: 'failed', reason: entry.error ?? 'no trial completed' };
  }
  return {
    name,
    kind,
    status: 'measured',
    samples: entry.samples,
    median: median(entry.samples),
    min: Math.min(...entry.samples),
    max: Math.max(...entry.samples),
  };
}

/** Runs a full garbage collection when the process was started with `--expose-gc`. */
export function collectGarbage(): void {
  globalThis.gc?.();
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Formats a value with three significant digits: `0.0512`, `87.3`, `4,780`, `11.5M`. */
export function formatNumber(value: number): string {
  if (Math.abs(value) >= 100_000) {
    return value.toLocaleString('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
  }
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumSignificantDigits: 3 });
}
