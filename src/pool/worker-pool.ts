/**
 * WorkerPool: round-robin routing over the StableAddrs of identical workers.
 *
 * The pool only routes. The supervisor that spawned the workers restarts
 * them (for `engine.spawnWorkerPool`, the `/user` root supervisor), and the
 * pool learns of restarts only through each worker's StableAddr.
 */

import type { HandlersOf, MessageFor, MessageOf, ReplyFor } from '../actor/define.js';
import type { AddrHash } from '../address/hash.js';
import { StableAddr, type AskOptions, type SendOptions } from '../address/stable-addr.js';
import type { SendError } from '../errors.js';
import { realClock, type Clock } from '../scheduler/clock.js';
import { describeValue } from '../errors.js';
import { assertTimeoutMs, defaultPoolAskTimeoutMs } from './config.js';
import { SlotQueue } from './waiting-send.js';

/** Options of `new WorkerPool(workers, options)`. */
export interface WorkerPoolOptions {
  /** Default timeout of `ask` and `sendWhenReady`, in milliseconds. @default 30000 */
  readonly askTimeoutMs?: number;
  /** Timers of `sendWhenReady`; pass the engine's clock so simulated time drives them too. @default real time */
  readonly clock?: Clock;
}

/** Options of `WorkerPool.sendWhenReady`. */
export interface WaitingSendOptions extends SendOptions {
  /**
   * Milliseconds to keep retrying before giving up. `0` tries once.
   * @default the pool's `askTimeoutMs` (30000)
   */
  readonly timeoutMs?: number;
  /** Aborting it rejects the pending `sendWhenReady` with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** The state every handle of one pool shares. */
interface PoolCore<D> {
  readonly workers: readonly StableAddr<D>[];
  readonly askTimeoutMs: number;
  /** `{ timeoutMs: askTimeoutMs }`, built once so an ask without options allocates none. */
  readonly defaultAskOptions: AskOptions;
  readonly clock: Clock;
  /** The slot the next send or ask takes. */
  cursor: number;
  /** Waiting sends per slot, created on first use. */
  readonly queues: (SlotQueue | undefined)[];
}

/** Set by `handle()` for the one constructor call that adopts an existing pool's core. */
let coreToAdopt: PoolCore<unknown> | undefined;

/**
 * Routes messages round robin over a fixed list of workers, each reached
 * through its own StableAddr.
 *
 * - Every `send`, `ask` and `sendWhenReady` takes the next slot in rotation,
 *   whatever happens to the message there. One rotation counter is shared by
 *   every handle of the pool (see `handle()`).
 * - The pool never retries and never falls over to another worker: a full
 *   worker returns `MailboxFull`, and a worker between a crash and its
 *   restart returns `Unroutable`, even while its siblings are idle.
 * - Messages already queued in a worker that crashes are lost (counted as
 *   dead letters); asks among them reject at once with `NoResponse`. For
 *   at-least-once delivery, use `ask` as an acknowledgement and retry on
 *   `Unroutable`, `MailboxFull`, `NoResponse` and `HandlerFailed`, with
 *   handlers that tolerate a repeated message.
 * - Slot `i` always routes to the same path (`{namePrefix}-{i}` for a pool
 *   from `engine.spawnWorkerPool`); a restart changes its generation, not its
 *   slot. A worker stopped for good keeps its slot and returns `ActorStopped`:
 *   the pool never shrinks or replaces workers.
 *
 * @example
 * const pool = engine.spawnWorkerPool(Hasher, { size: 4 });
 * await pool.ready();
 * const error = pool.send({ type: 'hash', text: 'abc' }); // SendError | undefined
 * const digest = await pool.ask({ type: 'hash', text: 'abc' }); // string
 */
export class WorkerPool<D = unknown> {
  readonly #core: PoolCore<D>;

  /**
   * Creates a pool over `workers`, in slot order.
   * @throws RangeError for an empty list; TypeError when an entry is not a StableAddr.
   * @throws RangeError naming `askTimeoutMs` when it is not a number of milliseconds from 0 to 2147483647.
   */
  constructor(workers: readonly StableAddr<D>[], options?: WorkerPoolOptions) {
    const adopted = coreToAdopt;
    if (adopted !== undefined) {
      coreToAdopt = undefined;
      this.#core = adopted;
      return;
    }

    // Array.isArray narrows to any[], so the typed list is kept apart.
    const list: readonly StableAddr<D>[] = workers;
    if (!Array.isArray(workers)) {
      throw new TypeError(`WorkerPool expects an array of StableAddr workers, got ${describeValue(workers)}`);
    }
    if (workers.length === 0) {
      throw new RangeError('WorkerPool needs at least one worker, got an empty list');
    }
    workers.forEach((worker: unknown, index) => {
      if (!(worker instanceof StableAddr)) {
        throw new TypeError(`WorkerPool worker ${index} must be a StableAddr, got ${describeValue(worker)}`);
      }
    });
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`WorkerPool options must be an object, got ${describeValue(options)}`);
    }
    const askTimeoutMs = options?.askTimeoutMs ?? defaultPoolAskTimeoutMs;
    assertTimeoutMs(askTimeoutMs, 'WorkerPool askTimeoutMs');
    const clock = options?.clock ?? realClock;
    if (typeof clock !== 'object' || clock === null || typeof clock.setTimer !== 'function') {
      throw new TypeError('WorkerPool clock must be an object implementing Clock');
    }

    this.#core = {
      workers: Object.freeze(list.slice()),
      askTimeoutMs,
      defaultAskOptions: Object.freeze({ timeoutMs: askTimeoutMs }),
      clock,
      cursor: 0,
      queues: new Array<SlotQueue | undefined>(list.length).fill(undefined),
    };
  }

  /** Number of worker slots; fixed for the life of the pool. */
  get size(): number {
    return this.#core.workers.length;
  }

  /** Default timeout of `ask` and `sendWhenReady` on this pool, in milliseconds. */
  get askTimeoutMs(): number {
    return this.#core.askTimeoutMs;
  }

  /**
   * Returns another handle to this pool. The handle is a distinct object
   * that shares the workers, the defaults, the waiting sends and the one
   * rotation counter. Senders that each keep their own handle therefore
   * interleave over the workers instead of each starting at slot 0. Passing
   * the pool object itself around shares the same counter too, and
   * `handle()` exists for code that wants an object of its own.
   */
  handle(): WorkerPool<D> {
    coreToAdopt = this.#core;
    return new WorkerPool<D>(this.#core.workers);
  }

  /**
   * Enqueues `message` on the next worker in rotation without waiting.
   * Returns `undefined` once it is queued, or that worker's `SendError`:
   * `MailboxFull` when its mailbox is full, `Unroutable` between its crash
   * and its restart, `ActorStopped` once it is stopped for good. Never
   * retries, never tries another worker, never throws for these conditions.
   * The slot is used up either way.
   *
   * Queued is not handled: if the worker crashes before it handles the
   * message, the message is lost. Use `ask` and retry when the caller needs
   * an acknowledgement.
   */
  send(message: MessageOf<D>, options?: SendOptions): SendError | undefined {
    return this.#core.workers[this.#nextSlot()]?.send(message, options);
  }

  /**
   * Sends `message` to the next worker in rotation and resolves with its
   * handler's return value, typed from the definition.
   *
   * Rejects with an `AskError` of one of these kinds:
   * - `Send` when the worker rejects the message as `send` would; `cause` is the `SendError`.
   * - `Timeout` after `options.timeoutMs` (default: the pool's `askTimeoutMs`).
   * - `Aborted` when `options.signal` aborts.
   * - `HandlerFailed` when the handler throws; `cause` is the thrown value.
   * - `NoResponse` when the worker's incarnation ends before it handles the message.
   *
   * A timed-out ask leaves the worker in the pool, and its late reply is dropped.
   * A reply is the only proof that the message was handled: retry on
   * `Send`, `NoResponse` and `HandlerFailed` with idempotent handlers to get
   * at-least-once delivery.
   *
   * @throws RangeError naming `timeoutMs`, or TypeError naming `signal`,
   *   when they are invalid; the rotation does not advance then.
   */
  ask<K extends keyof HandlersOf<D> & string>(
    message: MessageFor<HandlersOf<D>, K>,
    options?: AskOptions,
  ): Promise<ReplyFor<HandlersOf<D>, K>> {
    let workerOptions = this.#core.defaultAskOptions;
    if (options !== undefined) {
      const timeoutMs = options.timeoutMs ?? this.#core.askTimeoutMs;
      assertTimeoutMs(timeoutMs, 'ask timeoutMs');
      assertSignal(options.signal, 'ask');
      workerOptions = { ...options, timeoutMs };
    }

    const worker = this.#core.workers[this.#nextSlot()] as StableAddr<D>;
    return worker.ask(message, workerOptions);
  }

  /**
   * Delivers `message` to the next worker in rotation, waiting where `send`
   * would give up: through `Unroutable` until the worker's restart, and
   * through `MailboxFull` until its mailbox has room. It stays on the slot
   * it took and never tries another worker. Waiting sends to one slot are
   * delivered in call order.
   *
   * Resolves with `undefined` once the message is queued, with
   * `ActorStopped` (or any other SendError that waiting cannot cure) at
   * once, and with the last `MailboxFull` or `Unroutable` when
   * `options.timeoutMs` passes first (default: the pool's `askTimeoutMs`).
   * Rejects with `options.signal.reason` when the signal aborts, and does
   * not take a slot when it is aborted already. Its timer and abort listener
   * are released on every path.
   *
   * Queued is not handled: a worker that crashes before it handles the
   * message loses it.
   *
   * @throws RangeError naming `timeoutMs`, or TypeError naming `signal`, when they are invalid.
   */
  sendWhenReady(message: MessageOf<D>, options?: WaitingSendOptions): Promise<SendError | undefined> {
    const timeoutMs = options?.timeoutMs ?? this.#core.askTimeoutMs;
    assertTimeoutMs(timeoutMs, 'sendWhenReady timeoutMs');
    const signal = options?.signal;
    assertSignal(signal, 'sendWhenReady');
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);

    const slot = this.#nextSlot();
    const core = this.#core;
    const queue = (core.queues[slot] ??= new SlotQueue(core.workers[slot] as StableAddr, core.clock));
    const sendOptions = options?.headers === undefined ? undefined : { headers: options.headers };
    return queue.send(message, sendOptions, timeoutMs, signal);
  }

  /**
   * Resolves once every worker is live at the same moment, waiting through
   * restart windows. Rejects with the `SendError` kind `ActorStopped` of a
   * worker that is stopped for good, because it will never be live again.
   */
  async ready(): Promise<void> {
    const workers = this.#core.workers;
    for (;;) {
      await Promise.all(workers.map((worker) => worker.whenLive()));
      // A worker may have crashed again while the others were starting.
      if (workers.every((worker) => worker.current() !== undefined)) return;
    }
  }

  /**
   * Returns how many workers have had a live incarnation at least once,
   * whatever they do now: a worker in its restart window still counts, and
   * asks that time out never lower the count.
   */
  workersReadyCount(): number {
    let count = 0;
    for (const worker of this.#core.workers) if (worker.wasEverBound()) count++;
    return count;
  }

  /**
   * Returns the address of slot `index`'s live incarnation: `undefined`
   * before its first spawn, during a restart window and after it is stopped
   * for good. The generation changes on every restart; the path never does.
   * @throws RangeError when `index` is not an integer from 0 to `size - 1`.
   */
  workerAddr(index: number): AddrHash | undefined {
    const worker = this.#core.workers[index];
    if (!Number.isInteger(index) || worker === undefined) {
      throw new RangeError(`worker index must be an integer from 0 to ${this.size - 1}, got ${describeValue(index)}`);
    }
    return worker.current();
  }

  toString(): string {
    return `WorkerPool(${this.size} workers: ${this.#core.workers[0]?.path ?? ''}…)`;
  }

  /** Takes the slot at the shared cursor and moves the cursor on. */
  #nextSlot(): number {
    const core = this.#core;
    const slot = core.cursor;
    core.cursor = slot + 1 === core.workers.length ? 0 : slot + 1;
    return slot;
  }
}

function assertSignal(signal: unknown, method: string): asserts signal is AbortSignal | undefined {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${method} signal must be an AbortSignal, got ${describeValue(signal)}`);
  }
}
