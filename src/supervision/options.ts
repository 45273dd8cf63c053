/**
 * Child specifications: how an actor is spawned, restarted and stopped, and
 * how it supervises its own children. Validation lives here too, so every
 * entry point reports bad options the same way.
 */

import { assertValidSegment } from '../address/path.js';
import { describeValue } from '../errors.js';

/**
 * When a child is restarted after its incarnation ends.
 * - `permanent`: always, after a failure or a normal `ctx.stop()`.
 * - `transient`: only after a failure.
 * - `temporary`: never.
 * A stop by the engine, shutdown or the parent never restarts anything.
 */
export type RestartPolicy = 'permanent' | 'transient' | 'temporary';

/**
 * The stop policy of a child. `{ timeoutMs }` waits that long for its
 * in-flight handler and its `onStop`, then abandons it and reports it.
 * `'brutal'` abandons the in-flight handler at once and skips `onStop`.
 */
export type ShutdownPolicy = { readonly timeoutMs: number } | 'brutal';

/**
 * The set of children restarted when one of them is restarted.
 * - `one-for-one`: only that child.
 * - `one-for-all`: every child; the others are stopped in reverse start order first.
 * - `rest-for-one`: that child and those started after it.
 */
export type SupervisionStrategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';

/** Restart intensity: more than `maxRestarts` restarts of one child within `windowMs` escalates. */
export interface Intensity {
  /** @default 3 */
  readonly maxRestarts: number;
  /** @default 5000 */
  readonly windowMs: number;
}

/**
 * Exponential restart backoff: the n-th restart of a child inside its
 * intensity window waits `min(maxMs, minMs * 2^(n-1))`, scaled by a random
 * factor in `[1 - jitter, 1]` and raised to at least `minMs`. The delay
 * starts after the siblings that restart with the child have stopped.
 */
export interface Backoff {
  readonly minMs: number;
  readonly maxMs: number;
  /** Fraction of the delay that is randomised. @default 0.2 */
  readonly jitter?: number;
}

/** Supervision settings of an actor for the children it spawns. */
export interface SupervisionOptions {
  /** @default 'one-for-one' */
  readonly strategy?: SupervisionStrategy;
  /** @default { maxRestarts: 3, windowMs: 5000 } */
  readonly intensity?: Partial<Intensity>;
  /** No delay before a restart unless set. */
  readonly backoff?: Backoff;
}

/**
 * The thread an actor runs on:
 * - `'local'`: on the engine's own thread;
 * - `'auto'`: on worker thread `pathHash mod threads`, the same one across restarts;
 * - `{ thread: i }`: on worker thread `i`, counted from 0;
 * - `'spread'` (worker pools only): slot `i` on thread `i mod threads`.
 *
 * Every placement but `'local'` needs an engine started with `{ threads: n }`
 * and a definition named by `actorModule(url, exportName)`.
 */
export type Placement = 'local' | 'auto' | 'spread' | { readonly thread: number };

export interface SpawnOptions {
  /** The last path segment; `[A-Za-z0-9_.:-]+`. @default `{definition.name}:{n}` */
  readonly name?: string;
  /** @default 'permanent' */
  readonly restart?: RestartPolicy;
  /** @default { timeoutMs: 5000 } */
  readonly shutdown?: ShutdownPolicy;
  /** Maximum queued messages. @default 1024 */
  readonly mailboxCapacity?: number;
  /** @default 'local' */
  readonly placement?: Placement;
  /** Supervision settings for this actor's own children. */
  readonly supervision?: SupervisionOptions;
}

/** Supervision options with every default applied. */
export interface ResolvedSupervision {
  readonly strategy: SupervisionStrategy;
  readonly intensity: Intensity;
  readonly backoff: Required<Backoff> | undefined;
}

/** A validated child specification with every default applied. The name is not part of it, so spawns can share one. */
export interface ChildSpec {
  readonly restart: RestartPolicy;
  readonly shutdown: ShutdownPolicy;
  readonly mailboxCapacity: number;
  readonly placement: Placement;
  readonly supervision: ResolvedSupervision;
}

export const defaultMailboxCapacity = 1024;
export const defaultShutdownTimeoutMs = 5000;
export const defaultIntensity: Intensity = Object.freeze({ maxRestarts: 3, windowMs: 5000 });

const restartPolicies: readonly RestartPolicy[] = ['permanent', 'transient', 'temporary'];
const strategies: readonly SupervisionStrategy[] = ['one-for-one', 'one-for-all', 'rest-for-one'];

/** Throws a `RangeError` naming the option unless `value` is a positive safe integer. */
export function assertPositiveInteger(value: unknown, option: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${option} must be a positive integer, got ${describe(value)}`);
  }
}

/** Throws a `RangeError` naming the option unless `value` is a delay that a timer can honour. */
export function assertNonNegativeMs(value: unknown, option: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > maxTimerDelayMs) {
    throw new RangeError(
      `${option} must be a number of milliseconds from 0 to ${maxTimerDelayMs}, got ${describe(value)}`,
    );
  }
}

/** The longest delay Node.js timers honour (2^31 - 1 ms, about 24.8 days); longer ones fire after 1 ms. */
export const maxTimerDelayMs = 2_147_483_647;

/** Formats an option value for an error message. */
export const describe = describeValue;

function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], option: string): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`${option} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
}

// Shared by every spawn that leaves these options out, so each actor does not carry its own copy.
const defaultShutdown: ShutdownPolicy = Object.freeze({ timeoutMs: defaultShutdownTimeoutMs });
const defaultSupervision: ResolvedSupervision = Object.freeze({
  strategy: 'one-for-one',
  intensity: defaultIntensity,
  backoff: undefined,
});

const defaultChildSpec: ChildSpec = Object.freeze({
  restart: 'permanent',
  shutdown: defaultShutdown,
  mailboxCapacity: defaultMailboxCapacity,
  placement: 'local',
  supervision: defaultSupervision,
});

function resolveShutdown(value: unknown, option: string): ShutdownPolicy {
  if (value === undefined) return defaultShutdown;
  if (value === 'brutal') return 'brutal';
  if (typeof value === 'object' && value !== null && 'timeoutMs' in value) {
    assertNonNegativeMs(value.timeoutMs, `${option}.timeoutMs`);
    return { timeoutMs: value.timeoutMs };
  }
  throw new TypeError(`${option} must be { timeoutMs: number } or 'brutal', got ${describe(value)}`);
}

/** Validates supervision options and applies defaults. */
export function resolveSupervision(value: SupervisionOptions | undefined, option = 'supervision'): ResolvedSupervision {
  if (value === undefined) return defaultSupervision;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${option} must be an object, got ${describe(value)}`);
  }

  const strategy = value.strategy ?? 'one-for-one';
  assertOneOf(strategy, strategies, `${option}.strategy`);

  const maxRestarts = value.intensity?.maxRestarts ?? defaultIntensity.maxRestarts;
  const windowMs = value.intensity?.windowMs ?? defaultIntensity.windowMs;
  if (typeof maxRestarts !== 'number' || !Number.isSafeInteger(maxRestarts) || maxRestarts < 0) {
    throw new RangeError(`${option}.intensity.maxRestarts must be an integer >= 0, got ${describe(maxRestarts)}`);
  }
  assertNonNegativeMs(windowMs, `${option}.intensity.windowMs`);

  let backoff: Required<Backoff> | undefined;
  if (value.backoff !== undefined) {
    const { minMs, maxMs, jitter = 0.2 } = value.backoff;
    assertNonNegativeMs(minMs, `${option}.backoff.minMs`);
    assertNonNegativeMs(maxMs, `${option}.backoff.maxMs`);
    if (maxMs < minMs) {
      throw new RangeError(`${option}.backoff.maxMs (${maxMs}) must be >= backoff.minMs (${minMs})`);
    }
    if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
      throw new RangeError(`${option}.backoff.jitter must be a number from 0 to 1, got ${describe(jitter)}`);
    }
    backoff = { minMs, maxMs, jitter };
  }

  return { strategy, intensity: { maxRestarts, windowMs }, backoff };
}

/**
 * Validates spawn options and applies defaults.
 * @throws TypeError or RangeError naming the option and the value.
 */
export function resolveSpawnOptions(options: SpawnOptions | undefined, option = 'spawn options'): ChildSpec {
  const value: SpawnOptions = options ?? {};
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${option} must be an object, got ${describe(value)}`);
  }
  if (value.name !== undefined) assertValidSegment(value.name, 'actor name');

  const restart = value.restart ?? 'permanent';
  assertOneOf(restart, restartPolicies, `${option}.restart`);

  const mailboxCapacity = value.mailboxCapacity ?? defaultMailboxCapacity;
  assertPositiveInteger(mailboxCapacity, `${option}.mailboxCapacity`);

  const placement: unknown = value.placement ?? 'local';
  if (!isPlacement(placement)) {
    throw new TypeError(`${option}.placement must be 'local', 'auto', 'spread' or { thread: i }, got ${describe(placement)}`);
  }

  const shutdown = resolveShutdown(value.shutdown, `${option}.shutdown`);
  const supervision = resolveSupervision(value.supervision, `${option}.supervision`);
  // Spawns with default settings share one spec, so each actor does not carry its own copy.
  const isDefault =
    restart === 'permanent' &&
    shutdown === defaultShutdown &&
    mailboxCapacity === defaultMailboxCapacity &&
    placement === 'local' &&
    supervision === defaultSupervision;
  if (isDefault) return defaultChildSpec;
  return { restart, shutdown, mailboxCapacity, placement, supervision };
}

/** Tells whether `value` has one of the shapes of `Placement`; the thread index is checked when the actor is placed. */
function isPlacement(value: unknown): value is Placement {
  if (value === 'local' || value === 'auto' || value === 'spread') return true;
  return typeof value === 'object' && value !== null && 'thread' in value;
}
