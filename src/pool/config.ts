/**
 * PoolConfig: the options of `engine.spawnWorkerPool`, their defaults and
 * their validation.
 */

import { availableParallelism } from 'node:os';
import { assertValidSegment } from '../address/path.js';
import { describeValue } from '../errors.js';

/**
 * Thread placement of a pool's workers: `'local'` (the engine's own
 * thread), `'spread'` (slot `i` on worker thread `i mod threads`), `'auto'`
 * (each worker on thread `pathHash mod threads`) or `{ thread: i }` (every
 * worker on thread `i`). All but `'local'` need an engine started with
 * `{ threads: n }` and a definition named by `actorModule(url, exportName)`.
 */
export type PoolPlacement = 'local' | 'spread' | 'auto' | { readonly thread: number };

/** The options of `engine.spawnWorkerPool`. */
export interface PoolConfig {
  /** Number of workers, a positive integer. @default `os.availableParallelism()` */
  readonly size?: number;
  /**
   * First part of each worker's name: slot `i` is `/user/{namePrefix}-{i}`.
   * Uses only `[A-Za-z0-9_.:-]`. @default the definition's `name`
   */
  readonly namePrefix?: string;
  /** Maximum queued messages per worker. @default 1024 */
  readonly mailboxCapacity?: number;
  /**
   * When the `/user` supervisor restarts a worker that ended: `'permanent'`
   * always, `'transient'` only after a failure, `'temporary'` never.
   * @default 'permanent'
   */
  readonly restart?: 'permanent' | 'transient' | 'temporary';
  /**
   * How long a stopping worker's in-flight handler and `onStop` may run, or
   * `'brutal'` to stop without waiting. @default { timeoutMs: 5000 }
   */
  readonly shutdown?: { readonly timeoutMs: number } | 'brutal';
  /** Default timeout of `pool.ask` and `pool.sendWhenReady`, in milliseconds. @default 30000 */
  readonly askTimeoutMs?: number;
  /** Thread placement of the workers; see `PoolPlacement`. @default 'local' */
  readonly placement?: PoolPlacement;
}

/** A validated PoolConfig with every default applied. */
export interface ResolvedPoolConfig {
  readonly size: number;
  readonly namePrefix: string;
  readonly mailboxCapacity: number;
  readonly restart: 'permanent' | 'transient' | 'temporary';
  readonly shutdown: { readonly timeoutMs: number } | 'brutal';
  readonly askTimeoutMs: number;
  readonly placement: PoolPlacement;
}

export const defaultPoolAskTimeoutMs = 30_000;
const defaultMailboxCapacity = 1024;
const defaultShutdownTimeoutMs = 5000;
const restartPolicies = ['permanent', 'transient', 'temporary'] as const;

/**
 * Validates a PoolConfig and applies its defaults. `definitionName` is the
 * default `namePrefix`.
 * @throws TypeError or RangeError naming the option and the value.
 */
export function resolvePoolConfig(definitionName: string, config: PoolConfig | undefined): ResolvedPoolConfig {
  const value: PoolConfig = config === undefined ? {} : config;
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`spawnWorkerPool config must be an object, got ${describeValue(value)}`);
  }

  const size = value.size ?? availableParallelism();
  assertPositiveInteger(size, 'size');

  const namePrefix = value.namePrefix ?? definitionName;
  if (typeof namePrefix !== 'string') {
    throw new TypeError(`pool namePrefix must be a string, got ${describeValue(namePrefix)}`);
  }
  assertValidSegment(namePrefix, 'pool namePrefix');

  const mailboxCapacity = value.mailboxCapacity ?? defaultMailboxCapacity;
  assertPositiveInteger(mailboxCapacity, 'mailboxCapacity');

  const restart = value.restart ?? 'permanent';
  if (!restartPolicies.includes(restart)) {
    throw new TypeError(
      `pool restart must be 'permanent', 'transient' or 'temporary', got ${describeValue(restart)}`,
    );
  }

  const askTimeoutMs = value.askTimeoutMs ?? defaultPoolAskTimeoutMs;
  assertTimeoutMs(askTimeoutMs, 'pool askTimeoutMs');

  return {
    size,
    namePrefix,
    mailboxCapacity,
    restart,
    shutdown: resolveShutdown(value.shutdown),
    askTimeoutMs,
    placement: resolvePlacement(value.placement),
  };
}

/** Returns the name of worker slot `index`: `{namePrefix}-{index}`. */
export function workerName(namePrefix: string, index: number): string {
  return `${namePrefix}-${index}`;
}

function resolveShutdown(value: unknown): { readonly timeoutMs: number } | 'brutal' {
  if (value === undefined) return { timeoutMs: defaultShutdownTimeoutMs };
  if (value === 'brutal') return 'brutal';
  if (typeof value === 'object' && value !== null && 'timeoutMs' in value) {
    assertTimeoutMs(value.timeoutMs, 'pool shutdown.timeoutMs');
    return { timeoutMs: value.timeoutMs };
  }
  throw new TypeError(`pool shutdown must be { timeoutMs: number } or 'brutal', got ${describeValue(value)}`);
}

function resolvePlacement(value: unknown): PoolPlacement {
  if (value === undefined) return 'local';
  if (value === 'local' || value === 'spread' || value === 'auto') return value;
  if (typeof value === 'object' && value !== null && 'thread' in value) return { thread: value.thread as number };
  throw new TypeError(`pool placement must be 'local', 'spread', 'auto' or { thread: i }, got ${describeValue(value)}`);
}

/** Throws a `RangeError` naming the option unless `value` is a positive safe integer. */
export function assertPositiveInteger(value: unknown, option: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`pool ${option} must be a positive integer, got ${describeValue(value)}`);
  }
}

/**
 * The longest delay a Node.js timer supports (about 24.8 days). A longer
 * delay fires after 1 ms instead, so a timeout above it would expire at once.
 */
export const maxTimeoutMs = 2_147_483_647;

/** Throws a `RangeError` naming the option unless `value` is a number of milliseconds from 0 to `maxTimeoutMs`. */
export function assertTimeoutMs(value: unknown, option: string): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0 && value <= maxTimeoutMs)) {
    throw new RangeError(
      `${option} must be a number of milliseconds from 0 to ${maxTimeoutMs}, got ${describeValue(value)}`,
    );
  }
}

