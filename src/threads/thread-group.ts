/**
 * ThreadGroup: the engine's worker threads, one scheduler on each. It
 * starts them, hands out a live thread for each placement (starting a
 * replacement for a dead one), and terminates them on shutdown with a
 * deadline.
 */

import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import type { AddrHash } from '../address/hash.js';
import { SpawnError } from '../errors.js';
import { publish } from '../introspection/diagnostics.js';
import { realClock, type Clock } from '../scheduler/clock.js';
import { assertNonNegativeMs, assertPositiveInteger, describe } from '../supervision/options.js';
import { threadChannels, type ThreadStartEvent, type ThreadStuckEvent } from './events.js';
import type { ActorModuleRef } from './module-ref.js';
import type { ThreadBootData } from './protocol.js';
import type { RemoteCell, RemoteCellHost } from './remote-cell.js';
import { ThreadConnection, type ThreadCounters, type ThreadState } from './thread-connection.js';

export interface ThreadGroupOptions {
  /** Number of worker threads, or `'auto'` for `os.availableParallelism()`. */
  readonly threads: number | 'auto';
  /**
   * Heap and stack limits of each thread, as for `new Worker()`. A thread
   * that exceeds them dies, and its actors fail. @default Node's defaults
   */
  readonly resourceLimits?: ResourceLimits;
  /**
   * Node options of each thread. By default a thread inherits the
   * process's `process.execArgv`, so a loader such as `--import tsx`
   * reaches it. Set it only to replace that list. @default inherited
   */
  readonly execArgv?: readonly string[];
  /** Messages a thread's scheduler processes per event-loop turn. @default 1024 */
  readonly maxBatchPerTurn?: number;
  /** Messages one actor processes before the next actor on its thread runs. @default 128 */
  readonly maxBatchPerActor?: number;
  /** Timers of the shutdown deadline. @default real time */
  readonly clock?: Clock;
  /** Starts the thread of slot `index` in place of a worker thread, as a simulation does. @default a worker thread */
  readonly connect?: ThreadConnector;
}

/** The main side of one thread, as the group uses it; `ThreadConnection` is the one for worker threads. */
export interface GroupThread {
  readonly index: number;
  readonly threadId: number;
  readonly state: ThreadState;
  readonly exited: Promise<number>;
  readonly actors: number;
  readonly actorsStarted: number;
  readonly counters: ThreadCounters;
  spawn(module: ActorModuleRef, addr: AddrHash, mailboxCapacity: number, host: RemoteCellHost): RemoteCell;
  requestShutdown(): void;
  kill(): void;
  terminate(): Promise<number>;
}

/** Starts the thread of slot `index`. */
export type ThreadConnector = (index: number, boot: ThreadBootData) => GroupThread;

/**
 * The key under which `EngineConfig` carries a `ThreadConnector`, for
 * `rhodium/testing` only: a symbol, so it stays out of the public options.
 */
export const threadConnectorKey: unique symbol = Symbol('rhodium.threadConnector');

/** One thread in the snapshot. */
export interface ThreadGroupSnapshotEntry extends ThreadCounters {
  readonly thread: number;
  readonly threadId: number;
  readonly state: ThreadState;
  /** Live actors on the thread. */
  readonly actors: number;
  /** Threads that held this index before and died. */
  readonly replacements: number;
  /** Incarnations started on the current thread of this index. */
  readonly actorsStarted: number;
}

/** The outcome of `terminate`. */
export interface ThreadTerminationReport {
  /** True when every thread exited by itself before the deadline. */
  readonly completed: boolean;
  /** Indices of threads that had not exited at the deadline and were terminated, such as one in `while (true) {}`. */
  readonly stuck: readonly number[];
}

/**
 * The shortest time rhodium waits for a worker thread to answer a close or
 * to exit before it treats the thread as stuck. A thread that is not stuck
 * answers within a few milliseconds, so a stop with a shorter deadline (or
 * `'brutal'`) does not end a healthy thread and the actors that share it.
 */
export const threadAnswerGraceMs = 100;

const resourceLimitKeys = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;

export class ThreadGroup {
  /** Number of thread slots. */
  readonly size: number;

  private readonly slots: GroupThread[] = [];
  private readonly replacements: number[];
  private readonly options: Omit<ThreadGroupOptions, 'threads'>;
  private readonly clock: Clock;
  private readonly boot: Omit<ThreadBootData, 'thread'>;
  private terminating: Promise<ThreadTerminationReport> | undefined;

  private constructor(size: number, options: ThreadGroupOptions) {
    this.size = size;
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.boot = {
      maxBatchPerTurn: options.maxBatchPerTurn ?? 1024,
      maxBatchPerActor: options.maxBatchPerActor ?? 128,
    };
    this.replacements = new Array<number>(size).fill(0);
    try {
      for (let index = 0; index < size; index++) this.slots.push(this.startThread(index));
    } catch (error) {
      // The threads already started would otherwise keep the process alive.
      for (const connection of this.slots) void connection.terminate();
      if ((error as { code?: unknown } | null)?.code === 'ERR_WORKER_INVALID_EXEC_ARGV') {
        throw new TypeError(`execArgv contains options a worker thread does not accept: ${describe(options.execArgv)}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /**
   * Starts the threads. They load in the background; work sent before a
   * thread is ready waits in its port.
   *
   * @throws TypeError or RangeError naming the option when an option is invalid.
   */
  static start(options: ThreadGroupOptions): ThreadGroup {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`thread group options must be an object, got ${describe(options)}`);
    }
    return new ThreadGroup(resolveThreadCount(options.threads), validateOptions(options));
  }

  /** Whether `terminate` has been called. */
  get terminated(): boolean {
    return this.terminating !== undefined;
  }

  /**
   * Returns the live thread at `index`, first starting a replacement when
   * the one there died.
   *
   * @throws RangeError for an index outside the group.
   * @throws SpawnError kind `EngineStopped` after `terminate`.
   */
  thread(index: number): GroupThread {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`thread index must be an integer from 0 to ${this.size - 1}, got ${describe(index)}`);
    }
    if (this.terminating !== undefined) {
      throw new SpawnError('EngineStopped', `cannot use worker thread ${index}: the thread group is shutting down`);
    }
    let connection = this.slots[index] as GroupThread;
    if (connection.state === 'dead') {
      this.replacements[index] = (this.replacements[index] ?? 0) + 1;
      connection = this.startThread(index);
      this.slots[index] = connection;
    }
    return connection;
  }

  /** Starts an incarnation on thread `index`; see `ThreadConnection.spawn`. */
  spawn(index: number, module: ActorModuleRef, addr: AddrHash, mailboxCapacity: number, host: RemoteCellHost): RemoteCell {
    return this.thread(index).spawn(module, addr, mailboxCapacity, host);
  }

  /**
   * Ends thread `index` at once as a dead thread, as when it stopped
   * answering: its actors fail with `ThreadDiedError` kind `terminated`, and
   * the next `thread(index)` starts a replacement.
   */
  kill(index: number): void {
    this.slots[index]?.kill();
  }

  /** Returns the state and counters of every thread, by index. */
  snapshot(): ThreadGroupSnapshotEntry[] {
    return this.slots.map((connection, index) => ({
      thread: index,
      threadId: connection.threadId,
      state: connection.state,
      actors: connection.actors,
      replacements: this.replacements[index] ?? 0,
      actorsStarted: connection.actorsStarted,
      ...connection.counters,
    }));
  }

  /**
   * Asks every thread to exit and waits up to `timeoutMs`. A thread still
   * running then, such as one with a handler in a synchronous loop, is
   * terminated and reported in `stuck`. Actors still on a thread fail with
   * `ThreadDiedError` kind `terminated`, and their pending asks reject with
   * `NoResponse`. Calling it again returns the same promise.
   */
  terminate(options: { readonly timeoutMs: number }): Promise<ThreadTerminationReport> {
    assertNonNegativeMs(options.timeoutMs, 'terminate timeoutMs');
    this.terminating ??= this.runTerminate(options.timeoutMs);
    return this.terminating;
  }

  private async runTerminate(timeoutMs: number): Promise<ThreadTerminationReport> {
    const live = this.slots.filter((connection) => connection.state === 'running');
    for (const connection of live) connection.requestShutdown();

    const pending = new Set(live);
    let timer: ReturnType<Clock['setTimer']> | undefined;
    await new Promise<void>((resolve) => {
      if (pending.size === 0) {
        resolve();
        return;
      }
      timer = this.clock.setTimer(resolve, timeoutMs);
      for (const connection of live) {
        void connection.exited.then(() => {
          pending.delete(connection);
          if (pending.size === 0) resolve();
        });
      }
    });
    if (timer !== undefined) this.clock.clearTimer(timer);

    const stuck = [...pending].map((connection) => connection.index);
    for (const connection of pending) {
      publish(threadChannels.stuck, () => ({
        thread: connection.index,
        threadId: connection.threadId,
        timeoutMs,
      }) satisfies ThreadStuckEvent);
    }
    await Promise.all([...pending].map((connection) => connection.terminate()));
    return { completed: stuck.length === 0, stuck };
  }

  private startThread(index: number): GroupThread {
    const boot = { thread: index, ...this.boot };
    const connection =
      this.options.connect?.(index, boot) ??
      new ThreadConnection({
        index,
        entry: workerEntry,
        boot,
        resourceLimits: this.options.resourceLimits,
        execArgv: this.options.execArgv,
      });
    publish(threadChannels.start, () => ({
      thread: index,
      threadId: connection.threadId,
      replacements: this.replacements[index] ?? 0,
    }) satisfies ThreadStartEvent);
    return connection;
  }
}

/**
 * The worker entry point next to this file. Under a TypeScript loader
 * that runs the sources (tsx), this file is `thread-group.ts` and the
 * entry is `worker-main.ts`; compiled, both end in `.js`.
 */
const workerEntry = new URL(import.meta.url.endsWith('.ts') ? './worker-main.ts' : './worker-main.js', import.meta.url);

/** Resolves `threads` to a count. @throws RangeError for anything but a positive integer or `'auto'`. */
export function resolveThreadCount(threads: unknown): number {
  if (threads === 'auto') return availableParallelism();
  assertPositiveInteger(threads, "threads (a positive integer or 'auto')");
  return threads;
}

/**
 * Validates the thread options. `names` are the option names the errors
 * use, so the engine can report its own (`threadResourceLimits`, `threadExecArgv`).
 *
 * @throws TypeError or RangeError naming the option and the value.
 */
export function validateThreadOptions(
  options: { readonly resourceLimits?: unknown; readonly execArgv?: unknown },
  names: { readonly resourceLimits: string; readonly execArgv: string } = { resourceLimits: 'resourceLimits', execArgv: 'execArgv' },
): void {
  const limits: unknown = options.resourceLimits;
  if (limits !== undefined) {
    if (typeof limits !== 'object' || limits === null) {
      throw new TypeError(`${names.resourceLimits} must be an object, got ${describe(limits)}`);
    }
    for (const [key, value] of Object.entries(limits)) {
      if (!(resourceLimitKeys as readonly string[]).includes(key)) {
        throw new TypeError(`${names.resourceLimits}.${key} is not a known limit; use ${resourceLimitKeys.join(', ')}`);
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
        throw new RangeError(`${names.resourceLimits}.${key} must be a positive number of megabytes, got ${describe(value)}`);
      }
    }
  }

  const execArgv: unknown = options.execArgv;
  if (execArgv !== undefined && (!Array.isArray(execArgv) || !execArgv.every((arg) => typeof arg === 'string'))) {
    throw new TypeError(`${names.execArgv} must be an array of strings such as ['--import', 'tsx'], got ${describe(execArgv)}`);
  }
}

function validateOptions(options: ThreadGroupOptions): ThreadGroupOptions {
  validateThreadOptions(options);
  if (options.maxBatchPerTurn !== undefined) assertPositiveInteger(options.maxBatchPerTurn, 'maxBatchPerTurn');
  if (options.maxBatchPerActor !== undefined) assertPositiveInteger(options.maxBatchPerActor, 'maxBatchPerActor');
  return options;
}
