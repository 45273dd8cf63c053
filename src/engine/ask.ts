/**
 * Ask correlation: the bounded registry of pending replies.
 *
 * Each ask captures the caller's stack when it is made, so a later timeout
 * or rejection points at the code that asked. Timers and abort listeners are
 * released on every settle path.
 */

import type { ReplyTarget } from '../actor/envelope.js';
import { AskError, type AskErrorKind, type SendError } from '../errors.js';
import type { Clock } from '../scheduler/clock.js';
import { publishAskTimeout } from '../introspection/diagnostics.js';
import { TimeoutList, type TimedEntry } from './ask-timeouts.js';

/** The actor an ask is addressed to, for error messages. */
export interface AskTarget {
  readonly path: string;
  readonly generation: number | undefined;
}

/** One pending ask. It is the reply target the actor's envelope carries. */
export class PendingAsk implements ReplyTarget, TimedEntry<PendingAsk> {
  readonly promise: Promise<unknown>;
  deadline = 0;
  previous: PendingAsk | undefined = undefined;
  next: PendingAsk | undefined = undefined;
  list: TimeoutList<PendingAsk> | undefined = undefined;
  private readonly registry: AskRegistry;
  private readonly target: AskTarget;
  private readonly callSite: { stack?: string };
  private resolveFn!: (value: unknown) => void;
  private rejectFn!: (reason: unknown) => void;
  private signal: AbortSignal | undefined;
  private settled = false;

  get isSettled(): boolean {
    return this.settled;
  }

  constructor(registry: AskRegistry, target: AskTarget, callSite: { stack?: string }) {
    this.registry = registry;
    this.target = target;
    this.callSite = callSite;
    this.promise = new Promise((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  /** Rejects with `Timeout`; called by the timeout list once the deadline passed. */
  expire(): void {
    const timeoutMs = this.list?.timeoutMs ?? 0;
    publishAskTimeout(this.target.path, this.target.generation, timeoutMs);
    this.fail('Timeout', `ask to ${this.target.path} timed out after ${timeoutMs} ms`);
  }

  /** Listens for `signal` through the registry's one listener per signal. */
  watchSignal(signal: AbortSignal): void {
    this.signal = signal;
    this.registry.watch(signal, this);
  }

  resolve(value: unknown): void {
    if (!this.settle()) return;
    this.resolveFn(value);
  }

  handlerFailed(cause: unknown): void {
    this.fail('HandlerFailed', `handler of ${this.target.path} failed while handling the ask`, cause);
  }

  noResponse(reason: string): void {
    this.fail('NoResponse', `ask to ${this.target.path} got no response: ${reason}`);
  }

  sendFailed(error: SendError): void {
    this.fail('Send', `ask to ${this.target.path} could not be sent: ${error.kind}`, error);
  }

  registryFull(capacity: number): void {
    this.fail('RegistryFull', `ask to ${this.target.path} rejected: ${capacity} asks are already pending; raise maxPendingAsks or await some first`);
  }

  aborted(reason: unknown): void {
    this.fail('Aborted', `ask to ${this.target.path} was aborted`, reason);
  }

  private fail(kind: AskErrorKind, message: string, cause?: unknown): void {
    if (!this.settle()) return;
    const error = new AskError(kind, message, this.target, cause);
    // Point the stack at the caller of ask(), not at the timer or the actor.
    const callerStack = this.callSite.stack;
    if (callerStack !== undefined) {
      // The captured stack starts with an `Error` header line; with `Error.stackTraceLimit = 0` it is only that line.
      const frames = callerStack.includes('\n') ? callerStack.slice(callerStack.indexOf('\n')) : '';
      error.stack = `${error.name}: ${error.message}${frames}`;
    }
    this.rejectFn(error);
  }

  /** Marks the ask settled and releases its timer and listener; returns false if it was settled already. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.signal !== undefined) {
      this.registry.unwatch(this.signal, this);
      this.signal = undefined;
    }
    this.registry.remove(this);
    return true;
  }
}

/** How many distinct ask timeouts keep an idle list (and timer) for reuse. */
const maxIdleTimeoutLists = 16;

/**
 * The bounded set of pending asks. Abort signals are watched with one
 * listener per signal, not one per ask, so a million asks sharing a signal
 * cost one listener and settle in O(1) each.
 */
export class AskRegistry {
  readonly clock: Clock;
  readonly capacity: number;
  private pendingCount = 0;
  private readonly timeoutLists = new Map<number, TimeoutList<PendingAsk>>();
  private readonly watchers = new Map<AbortSignal, { asks: Set<PendingAsk>; listener: () => void }>();

  constructor(clock: Clock, capacity: number) {
    this.clock = clock;
    this.capacity = capacity;
  }

  get size(): number {
    return this.pendingCount;
  }

  /** Number of signals that currently have a listener, for tests and the snapshot. */
  get watchedSignals(): number {
    return this.watchers.size;
  }

  /**
   * Creates a pending ask. When the registry is full or the signal is
   * already aborted, the ask comes back rejected and nothing is registered.
   * Callers validate `timeoutMs` first.
   */
  create(target: AskTarget, timeoutMs: number, signal: AbortSignal | undefined, callSite: { stack?: string }): PendingAsk {
    const ask = new PendingAsk(this, target, callSite);
    if (signal?.aborted === true) {
      ask.aborted(signal.reason);
      return ask;
    }
    if (this.pendingCount >= this.capacity) {
      ask.registryFull(this.capacity);
      return ask;
    }
    this.pendingCount++;
    let list = this.timeoutLists.get(timeoutMs);
    if (list === undefined) {
      list = new TimeoutList<PendingAsk>(this.clock, timeoutMs);
      this.timeoutLists.set(timeoutMs, list);
    }
    list.add(ask);
    if (signal !== undefined) ask.watchSignal(signal);
    return ask;
  }

  /** Rejects every pending ask with `NoResponse` and releases every timer, as shutdown does. */
  rejectAll(reason: string): number {
    let rejected = 0;
    for (const list of [...this.timeoutLists.values()]) {
      for (const entry of list.entries()) {
        entry.noResponse(reason);
        rejected++;
      }
      list.dispose();
    }
    this.timeoutLists.clear();
    return rejected;
  }

  remove(ask: PendingAsk): void {
    const list = ask.list;
    if (list === undefined) return;
    this.pendingCount--;
    list.remove(ask);
    // Keep a few idle lists for reuse; drop the rest so callers that compute
    // a fresh timeout per ask cannot grow the map without bound.
    if (list.isEmpty && this.timeoutLists.size > maxIdleTimeoutLists) {
      list.dispose();
      this.timeoutLists.delete(list.timeoutMs);
    }
  }

  watch(signal: AbortSignal, ask: PendingAsk): void {
    let watcher = this.watchers.get(signal);
    if (watcher === undefined) {
      const asks = new Set<PendingAsk>();
      const listener = (): void => {
        for (const waiting of [...asks]) waiting.aborted(signal.reason);
      };
      watcher = { asks, listener };
      this.watchers.set(signal, watcher);
      signal.addEventListener('abort', listener, { once: true });
    }
    watcher.asks.add(ask);
  }

  unwatch(signal: AbortSignal, ask: PendingAsk): void {
    const watcher = this.watchers.get(signal);
    if (watcher === undefined) return;
    watcher.asks.delete(ask);
    if (watcher.asks.size > 0) return;
    this.watchers.delete(signal);
    signal.removeEventListener('abort', watcher.listener);
  }
}
