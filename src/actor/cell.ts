/**
 * The actor cell: one incarnation of an actor. It owns the mailbox, the
 * state and the handler loop, and reports how the incarnation ends to its
 * host. Deciding what happens next (restart, stop children) is the host's
 * job; the cell knows nothing of supervision or the engine.
 */

import type { AddrHash } from '../address/hash.js';
import { UnknownMessageError } from '../errors.js';
import type { Clock } from '../scheduler/clock.js';
import type { Runnable, Scheduler } from '../scheduler/scheduler.js';
import type { ActorContext } from './context.js';
import type { AnyActorDefinition, AnyHandler } from './define.js';
import type { Envelope, Headers, Message } from './envelope.js';
import { Mailbox } from './mailbox.js';
import type { StopReason } from './stop-reason.js';

/**
 * - `starting`: `state()` and `onStart` run; messages queue meanwhile.
 * - `running`: messages are handled one at a time.
 * - `closed`: intake is closed; an in-flight handler may still finish.
 * - `stopped`: `onStop` has run or was abandoned; nothing runs any more.
 */
export type CellStatus = 'starting' | 'running' | 'closed' | 'stopped';

/** What a cell needs from whoever owns it. */
export interface CellHost {
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  createContext(cell: ActorCell): ActorContext;
  /** `state()` and `onStart` completed. */
  onStarted(cell: ActorCell): void;
  /**
   * A handler or `onStart` threw or rejected. The cell has already closed
   * itself, and `queued` holds the envelopes that will never be handled.
   */
  onFailed(cell: ActorCell, error: unknown, queued: Envelope[]): void;
  /** The actor called `ctx.stop()` and its current handler has returned. */
  onStopRequested(cell: ActorCell): void;
}

const startSignal: ControlSignal = Object.freeze({ kind: 'start' });

/** A control signal, served before any user message. */
type ControlSignal = { readonly kind: 'start' } | { readonly kind: 'close'; readonly done: (queued: Envelope[]) => void };

export class ActorCell implements Runnable {
  scheduled = false;
  status: CellStatus = 'starting';
  readonly definition: AnyActorDefinition;
  readonly addr: AddrHash;
  readonly mailbox: Mailbox<Envelope>;
  /** Messages whose handler completed, including those that threw. */
  handled = 0;
  /** Milliseconds spent in this cell's synchronous code, measured per batch. */
  computeMs = 0;
  /**
   * Fault injection for simulation tests: called with each message just
   * before its handler, and a value it throws fails that handler as if the
   * handler had thrown it. Unset outside simulations.
   */
  beforeHandler: ((message: Message) => void) | undefined = undefined;

  private readonly host: CellHost;
  private readonly handlers: Readonly<Record<string, AnyHandler | undefined>>;
  // Starts with the start signal in an exact-size array: `push` into `[]` would reserve 17 slots.
  private readonly control: ControlSignal[] = [startSignal];
  /** Headers of the message being handled, for `ctx.headers`. */
  currentHeaders: Headers | undefined = undefined;
  private lastType: unknown = undefined;
  private lastHandler: AnyHandler | undefined = undefined;
  private state: unknown;
  private context: ActorContext | undefined;
  private abortController: AbortController | undefined;
  /** The envelope whose async handler is running; `busy` is true while any handler or `onStart` is in flight. */
  private inFlight: Envelope | undefined;
  private busy = false;
  private stopRequested = false;
  /** Whether `state()` returned, so `onStop` has state to clean up. */
  private started = false;
  private idleWaiters: (() => void)[] | undefined;

  constructor(definition: AnyActorDefinition, addr: AddrHash, mailboxCapacity: number, host: CellHost) {
    this.definition = definition;
    this.addr = addr;
    this.mailbox = new Mailbox<Envelope>(mailboxCapacity);
    this.host = host;
    this.handlers = definition.handlerTable;
    host.scheduler.schedule(this);
  }

  /** The context handed to this incarnation's handlers, created on first use. */
  get ctx(): ActorContext {
    this.context ??= this.host.createContext(this);
    return this.context;
  }

  /** Aborted when the incarnation starts to stop; created on first use so idle actors stay small. */
  get signal(): AbortSignal {
    this.abortController ??= new AbortController();
    return this.abortController.signal;
  }

  /** Whether the cell accepts new messages. */
  get accepting(): boolean {
    return this.status === 'starting' || this.status === 'running';
  }

  /** Whether a handler or `onStart` is in flight. */
  get isBusy(): boolean {
    return this.busy;
  }

  /** The state of this incarnation, for `onStop`. */
  get currentState(): unknown {
    return this.state;
  }

  /**
   * Enqueues an envelope. Returns false when the mailbox is full; the caller
   * checks `accepting` first.
   */
  enqueue(envelope: Envelope): boolean {
    if (!this.mailbox.push(envelope)) return false;
    if (this.status === 'running' && !this.busy) this.host.scheduler.schedule(this);
    return true;
  }

  /** Asks the cell to stop after the current handler: the `ctx.stop()` path. */
  requestStop(): void {
    this.stopRequested = true;
    if (!this.busy && this.status === 'running') this.host.scheduler.schedule(this);
  }

  /**
   * Closes intake at once and queues a close signal, served before any user
   * message. Resolves with the envelopes that will never be handled.
   */
  close(): Promise<Envelope[]> {
    if (this.status === 'starting' || this.status === 'running') this.status = 'closed';
    this.abortController?.abort();
    return new Promise((resolve) => {
      this.control.push({ kind: 'close', done: resolve });
      this.host.scheduler.schedule(this);
    });
  }

  /**
   * Gives up on the incarnation at once, as a shutdown deadline does: marks
   * it stopped and returns the queued envelopes plus the one in flight.
   */
  abandon(): Envelope[] {
    this.status = 'stopped';
    this.abortController?.abort();
    const envelopes = this.mailbox.drain();
    const inFlight = this.takeInFlight();
    if (inFlight !== undefined) envelopes.unshift(inFlight);
    for (const signal of this.control.splice(0)) {
      if (signal.kind === 'close') signal.done([]);
    }
    return envelopes;
  }

  /**
   * Fails this incarnation with `error` as if its handler had thrown it:
   * fault injection for simulation tests. An ask in flight rejects with
   * `HandlerFailed`. Returns false, changing nothing, once intake is closed.
   */
  crash(error: unknown): boolean {
    if (!this.accepting) return false;
    this.takeInFlight()?.reply?.handlerFailed(error);
    this.fail(error);
    return true;
  }

  /** Resolves when no handler or `onStart` is in flight. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => (this.idleWaiters ??= []).push(resolve));
  }

  /** The envelope of the async handler in flight, if any, so a brutal stop can answer its ask. */
  takeInFlight(): Envelope | undefined {
    const envelope = this.inFlight;
    this.inFlight = undefined;
    return envelope;
  }

  /** Runs `onStop` if the definition has one. Marks the cell stopped either way. */
  async runOnStop(reason: StopReason): Promise<void> {
    const onStop = this.definition.onStop;
    try {
      // An incarnation whose state() threw never had state, so onStop has nothing to clean up.
      if (onStop !== undefined && this.started) await onStop(this.state, this.ctx, reason);
    } finally {
      this.status = 'stopped';
    }
  }

  run(budget: number): number {
    const startedAt = this.host.clock.now();
    let processed = 0;
    try {
      processed = this.runSlice(budget);
    } finally {
      this.computeMs += this.host.clock.now() - startedAt;
    }
    return processed;
  }

  private runSlice(budget: number): number {
    while (this.control.length > 0) this.serve(this.control.shift() as ControlSignal);
    if (this.status !== 'running' || this.busy) return 0;

    let processed = 0;
    while (processed < budget && this.control.length === 0 && !this.stopRequested) {
      const envelope = this.mailbox.shift();
      if (envelope === undefined) break;
      processed++;
      this.invoke(envelope);
      if (this.busy || this.status !== 'running') return processed;
    }

    if (this.stopRequested) {
      this.stopRequested = false;
      this.host.onStopRequested(this);
    } else if (this.control.length > 0 || this.mailbox.size > 0) {
      this.host.scheduler.schedule(this);
    }
    return processed;
  }

  private serve(signal: ControlSignal): void {
    if (signal.kind === 'start') {
      this.start();
      return;
    }
    signal.done(this.mailbox.drain());
  }

  private start(): void {
    if (this.status !== 'starting') return;
    let pending: unknown;
    try {
      this.state = this.definition.state();
      this.started = true;
      pending = this.definition.onStart?.(this.state, this.ctx);
    } catch (error) {
      this.fail(error);
      return;
    }
    if (!isThenable(pending)) {
      this.markStarted();
      return;
    }
    this.busy = true;
    Promise.resolve(pending).then(
      () => {
        this.settleBusy();
        this.markStarted();
      },
      (error: unknown) => {
        this.settleBusy();
        this.fail(error);
      },
    );
  }

  private markStarted(): void {
    if (this.status !== 'starting') return;
    this.status = 'running';
    this.host.onStarted(this);
    if (this.mailbox.size > 0 || this.stopRequested) this.host.scheduler.schedule(this);
  }

  private invoke(envelope: Envelope): void {
    const message = envelope.message;
    let type: unknown;
    try {
      type = typeof message === 'object' && message !== null ? message.type : undefined;
    } catch (error) {
      // Untyped code can send an object whose `type` getter throws; that fails this actor, not the scheduler.
      this.handled++;
      envelope.reply?.handlerFailed(error);
      this.fail(error);
      return;
    }
    // Most mailboxes carry runs of one message type, so the last lookup is reused.
    let handler: AnyHandler | undefined;
    if (type === this.lastType) {
      handler = this.lastHandler;
    } else {
      handler = typeof type === 'string' ? this.handlers[type] : undefined;
      this.lastType = type;
      this.lastHandler = handler;
    }
    if (handler === undefined) {
      const error = new UnknownMessageError(type, this.definition.name, {
        path: this.addr.path,
        generation: this.addr.generation,
      });
      this.handled++;
      envelope.reply?.handlerFailed(error);
      this.fail(error);
      return;
    }

    let result: unknown;
    this.currentHeaders = envelope.headers;
    try {
      this.beforeHandler?.(message);
      result =
        envelope.context === undefined
          ? handler(this.state, message, this.ctx)
          : envelope.context.runInAsyncScope(handler, undefined, this.state, message, this.ctx);
    } catch (error) {
      this.handled++;
      envelope.reply?.handlerFailed(error);
      this.fail(error);
      return;
    }

    if (!isThenable(result)) {
      this.handled++;
      envelope.reply?.resolve(result);
      return;
    }

    this.busy = true;
    this.inFlight = envelope;
    Promise.resolve(result).then(
      (value) => {
        this.completeAsync(envelope, value, undefined, false);
      },
      (error: unknown) => {
        this.completeAsync(envelope, undefined, error, true);
      },
    );
  }

  /** Settles an async handler. After a brutal stop took the envelope, its outcome is dropped. */
  private completeAsync(envelope: Envelope, value: unknown, error: unknown, threw: boolean): void {
    const current = this.inFlight === envelope;
    if (current) this.inFlight = undefined;
    this.handled++;
    this.settleBusy();
    if (!current) return;

    if (threw) {
      envelope.reply?.handlerFailed(error);
      if (this.status === 'running') this.fail(error);
      return;
    }
    envelope.reply?.resolve(value);
    if (this.status === 'running' && (this.mailbox.size > 0 || this.stopRequested)) {
      this.host.scheduler.schedule(this);
    }
  }

  private settleBusy(): void {
    this.busy = false;
    const waiters = this.idleWaiters;
    if (waiters === undefined) return;
    this.idleWaiters = undefined;
    for (const wake of waiters) wake();
  }

  /** Closes the cell after a failure and reports it with the envelopes it will never handle. */
  private fail(error: unknown): void {
    // A cell that is already closing is being stopped by its host, which needs no second report.
    if (this.status !== 'starting' && this.status !== 'running') return;
    this.status = 'closed';
    this.abortController?.abort(error);
    this.host.onFailed(this, error, this.mailbox.drain());
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
