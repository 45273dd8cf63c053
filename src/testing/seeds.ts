/**
 * Running one scenario under many seeds, and rerunning the one that failed.
 */

import { SimulationFailure } from './errors.js';
import { Simulation, type SimulationOptions } from './simulation.js';

/** Options of `forEachSeed`: those of each simulation, without the seed. */
export interface ForEachSeedOptions extends Omit<SimulationOptions, 'seed' | 'replay'> {
  /** First seed of the range; the run uses `firstSeed` to `firstSeed + count - 1`. @default 1 */
  readonly firstSeed?: number;
}

/** Environment variable that reruns one seed: `RHODIUM_SEED=417 node --test …`. */
export const seedVariable = 'RHODIUM_SEED';
/** Environment variable that overrides the seed count, to search more seeds than a test runs by default. */
export const seedCountVariable = 'RHODIUM_SEED_COUNT';

const traceLinesInMessage = 20;

/**
 * Runs `scenario` once per seed, each in a new `Simulation`, one after
 * another, and shuts each engine down afterwards unless the scenario did.
 *
 * When `RHODIUM_SEED` is set, only that seed runs; when `RHODIUM_SEED_COUNT`
 * is set, it replaces `count`. The first failure stops the loop and throws
 * a `SimulationFailure` that names the seed, the step, how to rerun it and
 * the last lines of the trace. The original error is its `cause`.
 */
export async function forEachSeed(
  count: number,
  scenario: (simulation: Simulation) => Promise<void>,
  options?: ForEachSeedOptions,
): Promise<void> {
  for (const seed of seedsToRun(count, options?.firstSeed ?? 1)) {
    const { firstSeed: _firstSeed, ...simulationOptions } = options ?? {};
    const simulation = await Simulation.start({ ...simulationOptions, seed });
    try {
      await scenario(simulation);
      if (simulation.engine.snapshot().state === 'running') await simulation.shutdown();
    } catch (error) {
      throw failure(simulation, error);
    }
  }
}

/** Returns the seeds a run uses, after the environment overrides. */
export function seedsToRun(count: number, firstSeed = 1): bigint[] {
  const single = process.env[seedVariable];
  if (single !== undefined && single !== '') return [parseSeed(single, seedVariable)];

  const override = process.env[seedCountVariable];
  const total = override !== undefined && override !== '' ? Number(parseSeed(override, seedCountVariable)) : count;
  if (!Number.isSafeInteger(total) || total < 1) throw new RangeError(`seed count must be a positive integer, got ${String(total)}`);
  if (!Number.isSafeInteger(firstSeed) || firstSeed < 0) {
    throw new RangeError(`firstSeed must be a safe integer >= 0, got ${String(firstSeed)}`);
  }
  return Array.from({ length: total }, (_, index) => BigInt(firstSeed + index));
}

function parseSeed(text: string, variable: string): bigint {
  if (!/^\d+$/.test(text.trim())) throw new RangeError(`${variable} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return BigInt(text.trim());
}

function failure(simulation: Simulation, error: unknown): SimulationFailure {
  const { seed, step, trace } = simulation;
  const reason = error instanceof Error ? error.message : String(error);
  const tail = trace.slice(-traceLinesInMessage).join('\n');
  const message =
    `simulation with seed ${seed} failed at step ${step}, virtual time ${simulation.now()} ms: ${reason}\n` +
    `Rerun only this seed with ${seedVariable}=${seed} in the environment.\n` +
    `Last ${Math.min(trace.length, traceLinesInMessage)} of ${trace.length} trace lines:\n${tail}`;
  return new SimulationFailure(message, seed, step, [...trace], error);
}
