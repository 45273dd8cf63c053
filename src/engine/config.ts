/**
 * Engine configuration and its validation.
 */

import type { ResourceLimits } from 'node:worker_threads';
import { realClock, type Clock, type RandomSource } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import {
  assertNonNegativeMs,
  assertPositiveInteger,
  describe,
  resolveSupervision,
  type ResolvedSupervision,
  type SupervisionOptions,
} from '../supervision/options.js';
import { resolveThreadCount, threadConnectorKey, validateThreadOptions, type ThreadConnector } from '../threads/thread-group.js';

export interface EngineConfig {
  /** Identifier shown in snapshots. @default 16 hex digits from `random` */
  readonly id?: string;
  /** Default timeout of `ask`, in milliseconds. @default 30000 */
  readonly askTimeoutMs?: number;
  /** Maximum asks pending at once; the next one rejects with `RegistryFull`. @default 65536 */
  readonly maxPendingAsks?: number;
  /**
   * Runs each handler in the async context of its sender, so an
   * `AsyncLocalStorage` value set by the caller is visible in the handler.
   * Costs one `AsyncResource` per message; turn it off only for actors
   * that never read async context. @default true
   */
  readonly propagateAsyncContext?: boolean;
  /**
   * Captures the whole synchronous stack when `ask` is called. Without it an
   * `AskError`'s stack is taken where the caller awaits the ask, and shows
   * the awaiting `async` functions, which is enough when the caller uses
   * `await`. Capturing costs one stack trace per ask. @default false
   */
  readonly captureAskStacks?: boolean;
  /** Messages processed in one event-loop turn before yielding to I/O. @default 1024 */
  readonly maxBatchPerTurn?: number;
  /** Messages one actor processes before the next ready actor runs. @default 128 */
  readonly maxBatchPerActor?: number;
  /** Default deadline of `shutdown()`, in milliseconds. @default 30000 */
  readonly shutdownTimeoutMs?: number;
  /** Supervision settings of the `/user` root for top-level actors. @default one-for-one, 3 restarts in 5000 ms */
  readonly supervision?: SupervisionOptions;
  /** Time source and timers; replaced by the simulated clock in tests. @default real time */
  readonly clock?: Clock;
  /** Scheduler; replaced by the simulated scheduler in tests. @default the event-loop scheduler */
  readonly scheduler?: Scheduler;
  /** The only randomness the runtime uses (backoff jitter, the engine id). @default Math.random */
  readonly random?: RandomSource;
  /**
   * Worker threads to start, each running its own scheduler, or `'auto'`
   * for `os.availableParallelism()`. Actors placed `'auto'`, `{ thread: i }`
   * or, in a pool, `'spread'` run on them. @default 0 (none)
   */
  readonly threads?: number | 'auto';
  /**
   * Heap and stack limits of each worker thread, as for `new Worker()`. A
   * thread that exceeds them dies, and its actors restart on a replacement.
   * @default Node's defaults
   */
  readonly threadResourceLimits?: ResourceLimits;
  /**
   * Node options of each worker thread, replacing the list a thread
   * inherits from `process.execArgv`. @default inherited
   */
  readonly threadExecArgv?: readonly string[];
  /** Set by `rhodium/testing` to run simulated threads in place of worker threads. */
  readonly [threadConnectorKey]?: ThreadConnector;
}

export interface ResolvedEngineConfig {
  readonly id: string | undefined;
  readonly askTimeoutMs: number;
  readonly maxPendingAsks: number;
  readonly propagateAsyncContext: boolean;
  readonly captureAskStacks: boolean;
  readonly maxBatchPerTurn: number;
  readonly maxBatchPerActor: number;
  readonly shutdownTimeoutMs: number;
  readonly supervision: ResolvedSupervision;
  readonly clock: Clock;
  readonly scheduler: Scheduler | undefined;
  readonly random: RandomSource;
  /** Worker threads to start; 0 for none. */
  readonly threads: number;
  readonly threadResourceLimits: ResourceLimits | undefined;
  readonly threadExecArgv: readonly string[] | undefined;
  readonly threadConnector: ThreadConnector | undefined;
}

function assertImplements(value: unknown, option: string, interfaceName: string, methods: readonly string[]): void {
  if (value === undefined) return;
  const missing =
    typeof value === 'object' && value !== null
      ? methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function')
      : methods;
  if (missing.length > 0) {
    throw new TypeError(
      `${option} must be an object implementing ${interfaceName} (missing ${missing.join(', ')}), got ${describe(value)}`,
    );
  }
}

function booleanOption(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${option} must be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Validates a config and applies defaults.
 * @throws TypeError or RangeError naming the option and the value.
 */
export function resolveEngineConfig(config: EngineConfig | undefined): ResolvedEngineConfig {
  const value: EngineConfig = config ?? {};
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`Engine.start expects a config object, got ${describe(value)}`);
  }

  const askTimeoutMs = value.askTimeoutMs ?? 30_000;
  assertNonNegativeMs(askTimeoutMs, 'askTimeoutMs');
  const maxPendingAsks = value.maxPendingAsks ?? 65_536;
  assertPositiveInteger(maxPendingAsks, 'maxPendingAsks');
  const maxBatchPerTurn = value.maxBatchPerTurn ?? 1024;
  assertPositiveInteger(maxBatchPerTurn, 'maxBatchPerTurn');
  const maxBatchPerActor = value.maxBatchPerActor ?? 128;
  assertPositiveInteger(maxBatchPerActor, 'maxBatchPerActor');
  const shutdownTimeoutMs = value.shutdownTimeoutMs ?? 30_000;
  assertNonNegativeMs(shutdownTimeoutMs, 'shutdownTimeoutMs');
  if (value.id !== undefined && (typeof value.id !== 'string' || value.id === '')) {
    throw new TypeError(`id must be a non-empty string, got ${describe(value.id)}`);
  }
  assertImplements(value.clock, 'clock', 'Clock', ['now', 'setTimer', 'clearTimer']);
  assertImplements(value.scheduler, 'scheduler', 'Scheduler', ['schedule']);
  if (value.random !== undefined && typeof value.random !== 'function') {
    throw new TypeError(`random must be a function returning numbers in [0, 1), got ${describe(value.random)}`);
  }

  validateThreadOptions(
    { resourceLimits: value.threadResourceLimits, execArgv: value.threadExecArgv },
    { resourceLimits: 'threadResourceLimits', execArgv: 'threadExecArgv' },
  );

  return {
    id: value.id,
    askTimeoutMs,
    maxPendingAsks,
    propagateAsyncContext: booleanOption(value.propagateAsyncContext, 'propagateAsyncContext', true),
    captureAskStacks: booleanOption(value.captureAskStacks, 'captureAskStacks', false),
    maxBatchPerTurn,
    maxBatchPerActor,
    shutdownTimeoutMs,
    supervision: resolveSupervision(value.supervision, 'supervision'),
    clock: value.clock ?? realClock,
    scheduler: value.scheduler,
    random: value.random ?? Math.random,
    threads: value.threads === undefined || value.threads === 0 ? 0 : resolveThreadCount(value.threads),
    threadResourceLimits: value.threadResourceLimits,
    threadExecArgv: value.threadExecArgv,
    threadConnector: value[threadConnectorKey],
  };
}
