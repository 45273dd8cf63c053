/**
 * rhodium/testing: deterministic simulation of an engine for tests.
 *
 * ```ts
 * import { Simulation } from 'rhodium/testing';
 * const sim = await Simulation.start({ seed: 42 });
 * const counter = sim.engine.spawn(Counter, { name: 'counter' });
 * const total = await sim.run(counter.ask({ type: 'add', by: 2 }));
 * ```
 */

export { Simulation } from './simulation.js';
export type { RunOptions, SimulatedEngineConfig, SimulationOptions } from './simulation.js';
export type { CrashFault, CrashOnMessageOptions, FaultFiring, FaultTarget, MessageMatch } from './faults.js';
export type { DropFault, DropOptions, ThreadEnd, ThreadFault, ThreadFaultFiring } from './thread-faults.js';
export { forEachSeed, seedCountVariable, seedsToRun, seedVariable } from './seeds.js';
export type { ForEachSeedOptions } from './seeds.js';
export { SimulatedCrash, SimulationError, SimulationFailure } from './errors.js';
export type { SimulationErrorKind } from './errors.js';
export { SeededRandom } from './random.js';
export { parseDecisions } from './trace.js';
export type { RecordedDecision } from './trace.js';
export { SimulatedClock } from '../scheduler/simulated-clock.js';
export type { SimulatedTimer } from '../scheduler/simulated-clock.js';
export { SimulatedScheduler } from '../scheduler/simulated-scheduler.js';
