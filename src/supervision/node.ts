/**
 * ActorNode: the supervisor's record of one child path. It outlives the
 * path's incarnations (cells), routes its StableAddr to the live one, and
 * supervises the children that the live incarnation spawns.
 *
 * Three flows meet here:
 * - an incarnation ends by itself (failure or `ctx.stop()`): the node tears
 *   it down and notifies its parent, whose ChildSupervisor decides;
 * - a supervisor restarts a group (one-for-all, rest-for-one): it stops the
 *   siblings with `stopForRestart` and starts them again in start order;
 * - a stop for good (`engine.stop`, shutdown, the parent's own end) runs
 *   `stopForGood`, which never restarts anything.
 *
 * Only one teardown of a node runs at a time (`stopping`): every flow that
 * needs the incarnation gone waits for a teardown already in progress
 * instead of starting a second one.
 */

import { AsyncResource } from 'node:async_hooks';
import { ActorCell, type CellHost } from '../actor/cell.js';
import type { ActorContext } from '../actor/context.js';
import type { AnyActorDefinition } from '../actor/define.js';
import type { Envelope, Message } from '../actor/envelope.js';
import type { StopReason } from '../actor/stop-reason.js';
import { AddrHash, hashPath } from '../address/hash.js';
import type { ActorPath } from '../address/path.js';
import { StableAddr, type AskOptions, type Route, type SendOptions } from '../address/stable-addr.js';
import { AskError, SendError, SpawnError } from '../errors.js';
import {
  channels,
  publish,
  type ActorEvent,
  type ActorFailureEvent,
  type ActorRestartEvent,
  type ActorStopEvent,
  type DeadLetterEvent,
  type DeadLetterReason,
  type MailboxFullEvent,
  type StopTimeoutEvent,
} from '../introspection/diagnostics.js';
import type { Clock, TimerHandle } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { IncarnationContext } from './context.js';
import { StopDeadlines } from './deadlines.js';
import { RestartWindow } from './intensity.js';
import { assertNonNegativeMs, resolveSpawnOptions, type ChildSpec, type ShutdownPolicy, type SpawnOptions } from './options.js';
import type { SupervisionServices } from './services.js';
import { ChildSupervisor } from './supervisor.js';
import { isActorModuleRef, loadActorDefinition, type ActorModuleRef } from '../threads/module-ref.js';
import { placeActor } from '../threads/placement.js';
import { RemoteCell } from '../threads/remote-cell.js';
import { threadAnswerGraceMs } from '../threads/thread-group.js';

/**
 * - `live`: an incarnation exists and takes messages (it may still be starting).
 * - `restarting`: between incarnations; sends return `Unroutable`.
 * - `stopped`: stopped for good; sends return `ActorStopped`.
 */
/**
 * Rethrows an `AskError` with a stack taken inside this promise reaction.
 * V8 adds the `async` frames of every function awaiting the promise, so the
 * stack names the code that awaits the ask instead of a timer callback.
 */
const noChildren: readonly ActorNode[] = Object.freeze([]);

function restackAtAwaiter(error: unknown): never {
  if (error instanceof AskError) {
    Error.captureStackTrace(error, restackAtAwaiter);
    // The synchronous frames are Node's microtask queue, which says nothing about the caller.
    const lines = (error.stack ?? '').split('\n');
    error.stack = lines.filter((line, index) => index === 0 || !line.includes('(node:internal/')).join('\n');
  }
  throw error;
}

export type NodePhase = 'live' | 'restarting' | 'stopped';

/** The party that stops a path for good. */
export type FinalStopper = 'engine' | 'shutdown' | 'parent' | 'supervisor';

/** One incarnation: an ActorCell on the engine's thread, or the RemoteCell of one on a worker thread. */
export type Incarnation = ActorCell | RemoteCell;

/** The code a child runs: a definition, or a module reference that is imported before it starts. */
export type ChildDefinition = AnyActorDefinition | ActorModuleRef;

export class ActorNode implements Route, CellHost {
  readonly services: SupervisionServices;
  readonly parent: ActorNode | undefined;
  readonly actorPath: ActorPath;
  readonly path: string;
  readonly pathText: string;
  readonly pathHash: bigint;
  /** The actor's definition or module reference; `undefined` for the root supervisors `/user` and `/system`. */
  readonly definition: ChildDefinition | undefined;
  readonly spec: ChildSpec;
  readonly stable: StableAddr;
  // Most actors never spawn children, so the array is created with the first one.
  #children: ActorNode[] | undefined;

  phase: NodePhase;
  cell: Incarnation | undefined;
  /** Address of the most recent incarnation, live or not. */
  lastAddr: AddrHash | undefined;
  /** Restarts of this path in its whole life. */
  restarts = 0;
  deadLetters = 0;
  /** Messages handled and compute time of incarnations that already ended. */
  private handledBefore = 0;
  private computeMsBefore = 0;

  /** Set once a stop for good begins: routing reports `ActorStopped` from then on. */
  private final = false;
  private finalStop: Promise<void> | undefined;
  /** The teardown of the current incarnation while it runs, whichever flow started it. */
  private stopping: Promise<void> | undefined;
  /** Set when a shutdown deadline gave up on this node: teardowns in progress do nothing more. */
  private abandoned = false;
  // The helpers below are created on first use, because most actors never need
  // them and an idle actor should cost little memory.
  #deadlines: StopDeadlines | undefined;
  private everBound = false;
  private liveWaiters: { resolve: () => void; reject: (error: unknown) => void }[] | undefined;
  #restartWindow: RestartWindow | undefined;
  #supervisor: ChildSupervisor | undefined;
  #timers: Set<TimerHandle> | undefined;
  /** The definition a module reference names, once imported on this thread for placement `'local'`. */
  private imported: AnyActorDefinition | undefined;

  constructor(
    services: SupervisionServices,
    parent: ActorNode | undefined,
    path: ActorPath,
    definition: ChildDefinition | undefined,
    spec: ChildSpec,
  ) {
    this.services = services;
    this.parent = parent;
    this.actorPath = path;
    this.path = path.toString();
    this.pathText = this.path;
    this.pathHash = hashPath(this.path);
    this.definition = definition;
    this.spec = spec;
    this.stable = new StableAddr(this);
    // A root supervisor has no incarnation of its own and is live from the start.
    this.phase = definition === undefined ? 'live' : 'restarting';
  }

  /** Bounded waits of this node's teardowns. */
  private get deadlines(): StopDeadlines {
    this.#deadlines ??= new StopDeadlines(this.services.clock);
    return this.#deadlines;
  }

  /** Recent restarts of this path, for its supervisor's intensity check. */
  get restartWindow(): RestartWindow {
    this.#restartWindow ??= new RestartWindow();
    return this.#restartWindow;
  }

  /** The decision logic for this node's children: restart, escalate or leave stopped. */
  get supervisor(): ChildSupervisor {
    this.#supervisor ??= new ChildSupervisor(this);
    return this.#supervisor;
  }

  /** `sendAfter` timers of the live incarnation. */
  get timers(): Set<TimerHandle> {
    this.#timers ??= new Set();
    return this.#timers;
  }

  /** Children of the live incarnation, in start order. */
  get children(): readonly ActorNode[] {
    return this.#children ?? noChildren;
  }

  /** Whether a child of this node has ever needed a supervisor decision. */
  get hasSupervisor(): boolean {
    return this.#supervisor !== undefined;
  }

  get isRoot(): boolean {
    return this.definition === undefined;
  }

  get scheduler(): Scheduler {
    return this.services.scheduler;
  }

  get clock(): Clock {
    return this.services.clock;
  }

  /** Messages handled by every incarnation of this path. */
  get handledTotal(): number {
    return this.handledBefore + (this.cell?.handled ?? 0);
  }

  /** Milliseconds of synchronous handler time across every incarnation. */
  get computeMsTotal(): number {
    return this.computeMsBefore + (this.cell?.computeMs ?? 0);
  }

  /** True once a stop for good of this path began. */
  get isFinal(): boolean {
    return this.final;
  }

  /** True when this node may restart its children: it is live, accepting messages, and the engine is not shutting down. */
  get supervising(): boolean {
    if (this.services.shuttingDown || this.final || this.phase !== 'live') return false;
    return this.isRoot || this.cell?.accepting === true;
  }

  // ---- Route: what the StableAddr calls -------------------------------------

  current(): AddrHash | undefined {
    return this.phase === 'live' && this.cell?.accepting === true ? this.cell.addr : undefined;
  }

  wasEverBound(): boolean {
    return this.everBound;
  }

  whenLive(): Promise<void> {
    if (this.phase === 'live' && this.cell?.status === 'running') return Promise.resolve();
    if (this.phase === 'stopped') return Promise.reject(this.routingError());
    return new Promise((resolve, reject) => (this.liveWaiters ??= []).push({ resolve, reject }));
  }

  send(message: Message, options: SendOptions | undefined): SendError | undefined {
    return this.deliver(this.makeEnvelope(message, undefined, options));
  }

  ask(message: Message, options: AskOptions | undefined): Promise<unknown> {
    const timeoutMs = options?.timeoutMs ?? this.services.askTimeoutMs;
    if (options?.timeoutMs !== undefined) assertNonNegativeMs(timeoutMs, 'ask timeoutMs');
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`ask signal must be an AbortSignal, got ${typeof signal}`);
    }

    // Either capture the whole synchronous stack now (costly), or restack a
    // rejection where the caller awaits it, which costs only on rejection.
    const callSite: { stack?: string } = {};
    const captureNow = this.services.captureAskStacks;
    // The method is only a marker: frames from StableAddr.ask inward are left out of the stack.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    if (captureNow) Error.captureStackTrace(callSite, StableAddr.prototype.ask);

    const generation = this.current()?.generation;
    const pending = this.services.createAsk(this.path, generation, timeoutMs, signal, callSite);
    // A caller that already saw a rejection (registry full, signal aborted) must not have its message handled.
    if (!pending.isSettled) {
      const error = this.deliver(this.makeEnvelope(message, pending, options));
      if (error !== undefined) pending.sendFailed(error);
    }
    return captureNow ? pending.promise : pending.promise.then(undefined, restackAtAwaiter);
  }

  /** Enqueues to the live incarnation, or returns why it cannot. */
  deliver(envelope: Envelope): SendError | undefined {
    const cell = this.cell;
    if (cell === undefined || this.phase !== 'live' || !cell.accepting) return this.routingError();
    const outcome = cell.enqueue(envelope);
    if (outcome === true) return undefined;
    // A RemoteCell returns SerializationFailed for a message that cannot be cloned.
    if (outcome !== false) return outcome;

    publish(channels.mailboxFull, () => ({
      path: this.path,
      generation: cell.addr.generation,
      capacity: cell.mailbox.capacity,
    }) satisfies MailboxFullEvent);
    return new SendError('MailboxFull', { path: this.path, generation: cell.addr.generation });
  }

  private makeEnvelope(message: Message, reply: Envelope['reply'], options: SendOptions | undefined): Envelope {
    return {
      message,
      reply,
      context: this.services.propagateAsyncContext ? new AsyncResource('rhodium.message') : undefined,
      headers: options?.headers,
    };
  }

  private routingError(): SendError {
    const kind = this.final || this.phase === 'stopped' || this.services.shuttingDown ? 'ActorStopped' : 'Unroutable';
    return new SendError(kind, { path: this.path, generation: this.lastAddr?.generation });
  }

  // ---- Spawning ------------------------------------------------------------

  /**
   * Spawns a child under this node. `from` is the incarnation that calls
   * `ctx.spawn`, or `undefined` for a root supervisor.
   */
  spawnChild(definition: ChildDefinition, options: SpawnOptions | undefined, from: ActorCell | undefined): StableAddr {
    const isModule = isActorModuleRef(definition);
    if (!isModule && (typeof definition !== 'object' || definition === null || !('handlerTable' in definition))) {
      throw new TypeError('spawn expects an actor definition created by defineActor() or a reference created by actorModule()');
    }
    const spec = resolveSpawnOptions(options);
    // Checks the placement against the engine's threads before anything is registered.
    const placed = placeActor(spec.placement, { pathHash: 0n, threads: this.services.threads?.size ?? 0 });
    if (placed !== 'local' && !isModule) {
      throw new TypeError(
        `cannot place '${definition.name}' on a worker thread: a thread imports its definition by URL, so spawn actorModule(url, '${definition.name}') instead of the definition`,
      );
    }
    if (this.services.shuttingDown) {
      throw new SpawnError('EngineStopped', `cannot spawn '${definition.name}': the engine is shutting down`);
    }
    if (!this.isRoot && (from === undefined || from !== this.cell || !from.accepting)) {
      throw new SpawnError('ParentStopped', `cannot spawn '${definition.name}': parent ${this.path} is stopping`, {
        path: this.path,
      });
    }

    const name = options?.name ?? `${definition.name}:${this.services.nextAnonymousId()}`;
    const path = this.actorPath.child(name);
    if (this.services.hasNode(path.toString())) {
      throw new SpawnError('NameTaken', `cannot spawn ${path.toString()}: a live actor already has that path; pick another name or stop it first`, {
        path: path.toString(),
      });
    }

    const child = new ActorNode(this.services, this, path, definition, spec);
    (this.#children ??= []).push(child);
    this.services.register(child);
    child.startIncarnation();
    return child.stable;
  }

  /** Creates a new incarnation with generation + 1 and binds the StableAddr to it. */
  private startIncarnation(): void {
    const definition = this.definition;
    if (definition === undefined) return;
    const generation = this.services.nextGeneration(this.path);
    const addr = new AddrHash(this.path, this.pathHash, generation);
    this.lastAddr = addr;

    const threads = this.services.threads;
    const placed = placeActor(this.spec.placement, { pathHash: this.pathHash, threads: threads?.size ?? 0 });
    if (placed !== 'local' && threads !== undefined && isActorModuleRef(definition)) {
      this.bind(threads.spawn(placed, definition, addr, this.spec.mailboxCapacity, this));
      return;
    }
    const local = isActorModuleRef(definition) ? this.imported : definition;
    if (local !== undefined) {
      this.bind(new ActorCell(local, addr, this.spec.mailboxCapacity, this));
      return;
    }
    // A module reference placed 'local': import it here first. Sends return
    // Unroutable meanwhile, as in a restart window.
    this.phase = 'restarting';
    void this.importThenStart(definition as ActorModuleRef, addr);
  }

  private bind(cell: Incarnation): void {
    this.phase = 'live';
    this.everBound = true;
    this.cell = cell;
  }

  /**
   * Imports a module reference on the engine's thread and starts incarnation
   * `addr` from it, unless something else happened to the path meanwhile.
   * An import failure is that incarnation's start failure: its supervisor
   * decides, and it counts against the restart intensity.
   */
  private async importThenStart(module: ActorModuleRef, addr: AddrHash): Promise<void> {
    let outcome: { definition: AnyActorDefinition } | { error: unknown };
    try {
      outcome = { definition: await loadActorDefinition(module.url, module.exportName) };
    } catch (error) {
      outcome = { error };
    }
    if (this.final || this.lastAddr !== addr || this.cell !== undefined) return;
    if ('definition' in outcome) {
      this.imported = outcome.definition;
      this.bind(new ActorCell(outcome.definition, addr, this.spec.mailboxCapacity, this));
      return;
    }
    const error = outcome.error;
    publish(channels.actorFailure, () => ({ path: this.path, generation: addr.generation, actor: module.name, error }) satisfies ActorFailureEvent);
    this.parent?.childEnded(this, addr, { kind: 'failed', error });
  }

  /** Starts the next incarnation after the previous one ended, and publishes the restart. */
  restartIncarnation(cause: ActorRestartEvent['cause']): void {
    const previousGeneration = this.lastAddr?.generation ?? 0;
    this.restarts++;
    this.startIncarnation();
    publish(channels.actorRestart, () => ({
      path: this.path,
      generation: this.lastAddr?.generation ?? 0,
      actor: this.definition?.name ?? '',
      previousGeneration,
      restarts: this.restarts,
      cause,
    }) satisfies ActorRestartEvent);
  }

  // ---- CellHost: what the incarnation reports -------------------------------

  createContext(cell: ActorCell): ActorContext {
    return new IncarnationContext(this, cell);
  }

  onStarted(cell: Incarnation): void {
    if (cell !== this.cell) return;
    publish(channels.actorStart, () => this.actorEvent(cell));
    const waiters = this.liveWaiters ?? [];
    this.liveWaiters = undefined;
    for (const waiter of waiters) waiter.resolve();
  }

  onFailed(cell: Incarnation, error: unknown, queued: Envelope[]): void {
    this.rejectQueued(cell, queued, 'failed');
    if (cell !== this.cell) return;
    publish(channels.actorFailure, () => ({ ...this.actorEvent(cell), error }) satisfies ActorFailureEvent);
    this.endIncarnation(cell, { kind: 'failed', error });
  }

  onStopRequested(cell: Incarnation): void {
    if (cell !== this.cell) return;
    this.endIncarnation(cell, { kind: 'stopped' });
  }

  /** Fails the live incarnation from outside, as an escalating child does to its supervisor. */
  failFromOutside(error: unknown): void {
    const cell = this.cell;
    if (cell === undefined || !cell.accepting) return;
    publish(channels.actorFailure, () => ({ ...this.actorEvent(cell), error }) satisfies ActorFailureEvent);
    this.endIncarnation(cell, { kind: 'failed', error });
  }

  // ---- Ending an incarnation -------------------------------------------------

  /** Tears down an incarnation that ended by itself, then lets the parent decide. */
  private endIncarnation(cell: Incarnation, reason: StopReason): void {
    if (this.stopping !== undefined || this.final) return;
    this.phase = 'restarting';
    this.stopping = this.teardown(cell, reason, this.spec.shutdown).then(() => {
      this.stopping = undefined;
      this.parent?.childEnded(this, cell.addr, reason);
    });
  }

  /**
   * Closes the cell, rejects what it will never handle, waits for its
   * in-flight handler, stops its children in reverse start order and runs
   * `onStop`. The handler wait and `onStop` share the shutdown policy's
   * `timeoutMs`; the children are stopped in between under their own
   * policies. Never rejects.
   */
  private async teardown(cell: Incarnation, reason: StopReason, policy: ShutdownPolicy): Promise<void> {
    this.cancelTimers();
    const queued = cell instanceof RemoteCell ? await this.closeRemote(cell, policy) : await cell.close();
    if (this.abandoned) return;
    if (queued === undefined) {
      // The thread did not answer in time: the cell was abandoned and its thread replaced.
      await this.stopChildren(reason.kind === 'killed' && reason.by === 'shutdown' ? 'shutdown' : 'parent');
      if (this.abandoned) return;
      this.retire(cell, reason);
      return;
    }
    this.rejectQueued(cell, queued, reason.kind);

    const startedAt = this.clock.now();
    if (policy === 'brutal') {
      cell.takeInFlight()?.reply?.noResponse(`${this.path} was stopped brutally`);
    } else if (cell.isBusy && !(await this.deadlines.waitAtMost(cell.whenIdle(), policy.timeoutMs))) {
      if (this.abandoned) return;
      this.reportStopTimeout(cell, policy, 'handler');
      cell.takeInFlight()?.reply?.noResponse(`${this.path} was abandoned at its shutdown deadline`);
    }
    const handlerWaitMs = this.clock.now() - startedAt;

    await this.stopChildren(reason.kind === 'killed' && reason.by === 'shutdown' ? 'shutdown' : 'parent');
    if (this.abandoned) return;

    if (policy !== 'brutal') {
      const onStop = cell.runOnStop(reason).catch((error: unknown) => {
        publish(channels.actorFailure, () => ({ ...this.actorEvent(cell), error }) satisfies ActorFailureEvent);
      });
      const inTime = await this.deadlines.waitAtMost(onStop, Math.max(0, policy.timeoutMs - handlerWaitMs));
      if (this.abandoned) return;
      if (!inTime) this.reportStopTimeout(cell, policy, 'onStop');
    }
    this.retire(cell, reason);
  }

  /**
   * Closes a cell on a worker thread, waiting for the thread's answer at
   * most the policy's `timeoutMs`, and at least `threadAnswerGraceMs` (also
   * for `'brutal'`). A thread that does not answer in time is stuck, for example
   * in a synchronous loop: the cell is abandoned, what it held is rejected,
   * the thread is ended and replaced, and `undefined` is returned.
   */
  private async closeRemote(cell: RemoteCell, policy: ShutdownPolicy): Promise<Envelope[] | undefined> {
    let queued: Envelope[] | undefined;
    const closing = cell.close().then((envelopes) => {
      queued = envelopes;
    });
    const timeoutMs = Math.max(threadAnswerGraceMs, policy === 'brutal' ? 0 : policy.timeoutMs);
    const inTime = await this.deadlines.waitAtMost(closing, timeoutMs);
    if (inTime || this.abandoned) return queued ?? [];

    this.reportStopTimeout(cell, policy, 'handler');
    this.rejectQueued(cell, cell.abandon(), 'abandoned');
    this.services.threads?.kill(cell.thread);
    return undefined;
  }

  /** Marks an ended incarnation stopped, keeps its counters and publishes the stop. */
  private retire(cell: Incarnation, reason: StopReason): void {
    cell.status = 'stopped';
    this.handledBefore += cell.handled;
    this.computeMsBefore += cell.computeMs;
    if (this.cell === cell) this.cell = undefined;
    publish(channels.actorStop, () => ({
      ...this.actorEvent(cell),
      reason: reason.kind,
      by: reason.kind === 'killed' ? reason.by : undefined,
    }) satisfies ActorStopEvent);
  }

  /** Rejects every queued ask with `NoResponse` and counts every queued message as a dead letter. */
  private rejectQueued(cell: Incarnation, queued: Envelope[], reason: DeadLetterReason): void {
    if (queued.length === 0) return;
    for (const envelope of queued) {
      envelope.reply?.noResponse(`the incarnation of ${this.path} ended (${reason}) before handling it`);
      publish(channels.deadLetter, () => ({
        path: this.path,
        generation: cell.addr.generation,
        messageType: envelope.message.type,
        reason,
      }) satisfies DeadLetterEvent);
    }
    this.deadLetters += queued.length;
    this.services.countDeadLetters(queued.length);
  }

  private reportStopTimeout(cell: Incarnation, policy: ShutdownPolicy, phase: StopTimeoutEvent['phase']): void {
    const timeoutMs = policy === 'brutal' ? 0 : policy.timeoutMs;
    publish(channels.stopTimeout, () => ({
      path: this.path,
      generation: cell.addr.generation,
      timeoutMs,
      phase,
    }) satisfies StopTimeoutEvent);
    this.services.reportAbandoned(this.path);
  }

  private cancelTimers(): void {
    if (this.#timers !== undefined) {
      for (const timer of this.#timers) this.clock.clearTimer(timer);
      this.#timers.clear();
    }
  }

  // ---- Stopping on purpose ---------------------------------------------------

  /** Stops the children in reverse start order, each for good, one after another. */
  async stopChildren(by: 'shutdown' | 'parent'): Promise<void> {
    this.#supervisor?.cancelPendingRestarts();
    for (const child of [...this.children].reverse()) await child.stopForGood(by);
  }

  /** Stops this path for good: no restart follows, and the StableAddr reports `ActorStopped`. */
  stopForGood(by: FinalStopper): Promise<void> {
    this.finalStop ??= this.runFinalStop(by);
    return this.finalStop;
  }

  private async runFinalStop(by: FinalStopper): Promise<void> {
    this.final = true;
    if (this.stopping !== undefined) await this.stopping;

    // A restart may have started a new incarnation before `final` was set.
    const cell = this.cell;
    if (cell !== undefined && !this.abandoned) {
      const stopping = this.teardown(cell, { kind: 'killed', by }, this.spec.shutdown);
      this.stopping = stopping;
      await stopping;
      this.stopping = undefined;
    } else {
      await this.stopChildren(by === 'shutdown' ? 'shutdown' : 'parent');
    }

    this.parent?.removeChild(this);
    this.markStopped();
  }

  /**
   * Stops the live incarnation so the supervisor can start a new one;
   * routing reports `Unroutable` meanwhile. If the incarnation is already
   * ending by itself, waits for that teardown instead.
   */
  async stopForRestart(): Promise<void> {
    if (this.stopping !== undefined) {
      await this.stopping;
      return;
    }
    const cell = this.cell;
    if (this.final || cell === undefined) return;

    this.phase = 'restarting';
    const stopping = this.teardown(cell, { kind: 'killed', by: 'supervisor' }, this.spec.shutdown);
    this.stopping = stopping;
    await stopping;
    this.stopping = undefined;
  }

  /**
   * Gives up on this path at a shutdown deadline: ends its waits, rejects
   * every queued and in-flight ask with `NoResponse`, reports it, and marks
   * the path stopped for good. Its stuck handler or `onStop` is left to run
   * but can no longer reach anyone.
   */
  abandon(): void {
    if (this.phase === 'stopped') return;
    this.abandoned = true;
    this.final = true;
    this.cancelTimers();
    this.#deadlines?.expireAll();

    const cell = this.cell;
    if (cell !== undefined && cell.status !== 'stopped') {
      publish(channels.stopTimeout, () => ({
        path: this.path,
        generation: cell.addr.generation,
        timeoutMs: this.spec.shutdown === 'brutal' ? 0 : this.spec.shutdown.timeoutMs,
        phase: 'shutdown',
      }) satisfies StopTimeoutEvent);
      this.rejectQueued(cell, cell.abandon(), 'abandoned');
      this.services.reportAbandoned(this.path);
      this.retire(cell, { kind: 'killed', by: 'shutdown' });
    }
    this.cell = undefined;
    this.parent?.removeChild(this);
    this.markStopped();
  }

  /** Marks the path stopped for good and rejects the `whenLive` waiters with `ActorStopped`. */
  markStopped(): void {
    this.final = true;
    this.phase = 'stopped';
    this.#supervisor?.cancelPendingRestarts();
    if (this.parent?.hasSupervisor === true) this.parent.supervisor.dropPendingRestart(this);
    this.services.unregister(this);
    const waiters = this.liveWaiters ?? [];
    this.liveWaiters = undefined;
    for (const waiter of waiters) waiter.reject(this.routingError());
  }

  removeChild(child: ActorNode): void {
    // Stops run in reverse start order, so the child is usually near the end;
    // searching from the front made stopping many siblings quadratic.
    const index = this.children.lastIndexOf(child);
    if (index >= 0) this.#children?.splice(index, 1);
  }

  // ---- Supervising children --------------------------------------------------

  /** Receives the notice that incarnation `addr` of `child` ended; the supervisor decides in turn. */
  childEnded(child: ActorNode, addr: AddrHash, reason: StopReason): void {
    this.supervisor.childEnded(child, addr, reason);
  }

  private actorEvent(cell: Incarnation): ActorEvent {
    return { path: this.path, generation: cell.addr.generation, actor: cell.definition.name };
  }
}
