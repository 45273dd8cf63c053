/**
 * The waiting send of one pool slot: messages that could not be enqueued yet
 * wait here, in call order, until the worker takes them, their timeout
 * passes or their signal aborts.
 */

import type { Message } from '../actor/envelope.js';
import type { SendOptions } from '../address/stable-addr.js';
import type { SendError } from '../errors.js';
import type { Clock, TimerHandle } from '../scheduler/clock.js';

/** First and maximum delay between two delivery attempts while the worker's mailbox is full. */
const firstPollDelayMs = 1;
const maxPollDelayMs = 8;

/** What a slot needs from its worker's StableAddr. */
export interface SlotWorker {
  send(message: Message, options: SendOptions | undefined): SendError | undefined;
  whenLive(): Promise<void>;
}

interface Waiter {
  readonly message: Message;
  readonly sendOptions: SendOptions | undefined;
  readonly resolve: (error: SendError | undefined) => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  timer: TimerHandle | undefined;
}

/** Tells whether a send that failed with `error` may succeed later without anyone's help. */
function isTransient(error: SendError): boolean {
  return error.kind === 'MailboxFull' || error.kind === 'Unroutable';
}

/**
 * The waiting sends of one worker slot.
 *
 * Waiters are served first in, first out: a new waiting send never overtakes
 * an older one to the same slot, so one caller's waiting sends to a slot
 * arrive in call order.
 *
 * NOTE: a StableAddr announces a new incarnation (`whenLive`) but not free
 * mailbox space, so on `MailboxFull` this queue polls by sending again on the
 * injected clock, every 1 ms at first and at most every 8 ms. Each failed
 * attempt publishes one `rhodium:mailbox:full` event.
 */
export class SlotQueue {
  readonly #worker: SlotWorker;
  readonly #clock: Clock;
  /** Insertion-ordered, so iteration is FIFO and a timed-out waiter leaves in O(1). */
  readonly #waiters = new Set<Waiter>();
  /** The error of the latest failed attempt; what a waiter that times out resolves with. */
  #blockedBy: SendError | undefined;
  #pollTimer: TimerHandle | undefined;
  #pollDelayMs = firstPollDelayMs;
  /** Whether a `whenLive` notice is awaited; the core offers no way to cancel one. */
  #awaitingLive = false;
  /** Whether the last wake-up came from a `whenLive` notice, so a repeated `Unroutable` falls back to polling. */
  #wokenByLive = false;

  constructor(worker: SlotWorker, clock: Clock) {
    this.#worker = worker;
    this.#clock = clock;
  }

  /**
   * Delivers `message` to this slot's worker, waiting through `MailboxFull`
   * and `Unroutable` for at most `timeoutMs`. See `WorkerPool.sendWhenReady`.
   */
  send(
    message: Message,
    sendOptions: SendOptions | undefined,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<SendError | undefined> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);

    // Waiters ahead keep their place: this message queues behind them untried.
    if (this.#waiters.size === 0) {
      const error = this.#worker.send(message, sendOptions);
      if (error === undefined || !isTransient(error) || timeoutMs === 0) return Promise.resolve(error);
      this.#blockedBy = error;
    }

    return new Promise<SendError | undefined>((resolve, reject) => {
      const waiter: Waiter = { message, sendOptions, resolve, reject, signal, onAbort: undefined, timer: undefined };
      this.#waiters.add(waiter);

      waiter.timer = this.#clock.setTimer(() => {
        waiter.timer = undefined;
        const error = this.#blockedBy;
        this.#settle(waiter);
        waiter.resolve(error);
      }, timeoutMs);

      if (signal !== undefined) {
        waiter.onAbort = () => {
          waiter.onAbort = undefined;
          this.#settle(waiter);
          waiter.reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }

      this.#armWake();
    });
  }

  /** Tries the waiters in order until one cannot be delivered yet. */
  #pump = (): void => {
    for (const waiter of this.#waiters) {
      const error = this.#worker.send(waiter.message, waiter.sendOptions);
      if (error !== undefined && isTransient(error)) {
        this.#blockedBy = error;
        this.#armWake();
        return;
      }
      this.#pollDelayMs = firstPollDelayMs;
      this.#settle(waiter);
      waiter.resolve(error);
    }
  };

  /**
   * Schedules the next attempt: after the next `whenLive` notice for
   * `Unroutable`, after a poll delay for `MailboxFull`.
   */
  #armWake(): void {
    if (this.#waiters.size === 0 || this.#pollTimer !== undefined) return;
    const error = this.#blockedBy;

    if (error?.kind === 'Unroutable' && !this.#wokenByLive) {
      this.#pollDelayMs = firstPollDelayMs;
      if (this.#awaitingLive) return;
      this.#awaitingLive = true;
      const wake = (): void => {
        this.#awaitingLive = false;
        this.#wokenByLive = true;
        this.#pump();
        this.#wokenByLive = false;
      };
      this.#worker.whenLive().then(wake, wake);
      return;
    }

    const delayMs = this.#pollDelayMs;
    this.#pollDelayMs = Math.min(maxPollDelayMs, delayMs * 2);
    this.#pollTimer = this.#clock.setTimer(() => {
      this.#pollTimer = undefined;
      this.#pump();
    }, delayMs);
  }

  /** Removes a waiter and releases its timer and abort listener; the last one out stops the polling. */
  #settle(waiter: Waiter): void {
    this.#waiters.delete(waiter);
    if (waiter.timer !== undefined) {
      this.#clock.clearTimer(waiter.timer);
      waiter.timer = undefined;
    }
    if (waiter.onAbort !== undefined) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.onAbort = undefined;
    }

    if (this.#waiters.size > 0) return;
    this.#pollDelayMs = firstPollDelayMs;
    this.#blockedBy = undefined;
    if (this.#pollTimer !== undefined) {
      this.#clock.clearTimer(this.#pollTimer);
      this.#pollTimer = undefined;
    }
  }
}
