/**
 * Errors raised by simulations. They report a failing test, not a runtime
 * condition of the engine, so they are not `RhodiumError`s.
 */

/** The value a crash fault throws into an actor; an ask it fails rejects with `HandlerFailed` and this as `cause`. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  /** The actor path that crashed. */
  readonly path: string;
  /** The generation of the incarnation that crashed. */
  readonly generation: number;
  /** The simulation step at which it crashed. */
  readonly step: number;

  constructor(path: string, generation: number, step: number) {
    super(`injected crash of ${path}#${generation} at step ${step}`);
    this.path = path;
    this.generation = generation;
    this.step = step;
  }
}

/**
 * - `Stalled`: `run` waits for a promise, but no actor is ready and no timer is set, so it can never settle.
 * - `TimedOut`: `run` passed its `timeoutMs` of virtual time before the promise settled.
 * - `StepLimit`: one call made more than `maxSteps` decisions, which usually means actors keep each other busy forever.
 * - `Divergence`: a replay reached a decision that the recorded trace does not allow.
 */
export type SimulationErrorKind = 'Stalled' | 'TimedOut' | 'StepLimit' | 'Divergence';

export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  readonly kind: SimulationErrorKind;
  readonly seed: bigint;
  /** Decisions made before the error. */
  readonly step: number;

  constructor(kind: SimulationErrorKind, message: string, seed: bigint, step: number) {
    super(message);
    this.kind = kind;
    this.seed = seed;
    this.step = step;
  }
}

/** A scenario of `forEachSeed` that failed, with what is needed to run it again. */
export class SimulationFailure extends Error {
  override readonly name = 'SimulationFailure';
  readonly seed: bigint;
  readonly step: number;
  /** The whole trace of the failed run, one decision per line. */
  readonly trace: readonly string[];

  constructor(message: string, seed: bigint, step: number, trace: readonly string[], cause: unknown) {
    super(message, { cause });
    this.seed = seed;
    this.step = step;
    this.trace = trace;
    // Test reporters print enumerable fields, and the message already contains the end of the trace.
    Object.defineProperty(this, 'trace', { enumerable: false });
  }
}
