/**
 * Deterministic simulation: an engine on a simulated clock and scheduler,
 * driven one scheduling decision at a time by a seeded generator.
 *
 * Nothing runs by itself. The test calls `runUntilIdle`, `runSteps`,
 * `advance` or `run`, and each of them repeats one loop. It lets every
 * pending microtask run and applies the faults due at this step. Then it
 * draws one item from the ready set (the actors with work and the timers
 * due now) and runs it.
 * Virtual time moves only in `advance`, or in `run` when nothing is ready,
 * and then it jumps to the next timer.
 */

import { ActorCell } from '../actor/cell.js';
import type { Message } from '../actor/envelope.js';
import type { EngineConfig } from '../engine/config.js';
import { Engine, type ShutdownOptions, type ShutdownReport } from '../engine/engine.js';
import { SimulatedClock, type SimulatedTimer } from '../scheduler/simulated-clock.js';
import { SimulatedScheduler } from '../scheduler/simulated-scheduler.js';
import type { Runnable } from '../scheduler/scheduler.js';
import { assertNonNegativeMs, assertPositiveInteger, describe } from '../supervision/options.js';
import { SimulatedCrash, SimulationError, type SimulationErrorKind } from './errors.js';
import { Fault, targetPath, type CrashFault, type CrashOnMessageOptions, type FaultTarget, type MessageMatch } from './faults.js';
import { SeededRandom } from './random.js';
import { parseDecisions, type RecordedDecision } from './trace.js';
import { SimulatedThread, type LinkDirection } from './simulated-thread.js';
import { ThreadFaultHandle, threadEnd, type DropFault, type DropOptions, type ThreadEnd, type ThreadFault } from './thread-faults.js';
import type { AnyActorDefinition } from '../actor/define.js';
import { loadActorDefinition } from '../threads/module-ref.js';
import type { Batch, MainOp, ThreadOp } from '../threads/protocol.js';
import { threadConnectorKey, type ThreadConnector } from '../threads/thread-group.js';

/**
 * Engine options a simulation passes through. The clock, scheduler and
 * randomness are its own. Real worker threads would run outside the
 * simulated clock and scheduler, so the simulation's `threads` option
 * replaces the thread options with simulated threads.
 */
export type SimulatedEngineConfig = Omit<EngineConfig, 'clock' | 'scheduler' | 'random' | 'threads' | 'threadResourceLimits' | 'threadExecArgv'>;

export interface SimulationOptions {
  /** Seed of every decision: a safe integer >= 0 or a bigint below 2^64. */
  readonly seed: number | bigint;
  /** Configuration of the simulated engine. */
  readonly engine?: SimulatedEngineConfig;
  /**
   * Upper bound of the message batch an actor may process in one step; each
   * step draws a batch from 1 to this. Batches above 1 let sync handlers
   * run back to back without other work in between, as the event-loop
   * scheduler does. @default 3
   */
  readonly maxBatchPerStep?: number;
  /** Decisions one call may make before it fails with `StepLimit`. @default 1000000 */
  readonly maxSteps?: number;
  /**
   * A trace recorded earlier (its lines or its text). The simulation then
   * repeats its decisions instead of drawing them, and fails with
   * `Divergence` at the first decision the trace does not allow.
   */
  readonly replay?: string | readonly string[];
  /**
   * Simulated worker threads to run, numbered from 0. Actors placed
   * `'auto'`, `{ thread: i }` or, in a pool, `'spread'` run on them, and
   * their definitions are named with `actorModule(url, exportName)` as for
   * real threads. @default 0 (none)
   */
  readonly threads?: number;
}

/** Options of `Simulation.run`. */
export interface RunOptions {
  /** Virtual milliseconds to wait for the promise before failing with `TimedOut`. @default no limit */
  readonly timeoutMs?: number;
}

/** One item of the ready set. */
type Candidate =
  | { readonly kind: 'run'; readonly label: string; readonly task: Runnable; readonly scheduler: SimulatedScheduler }
  | { readonly kind: 'timer'; readonly label: string; readonly timer: SimulatedTimer }
  | { readonly kind: 'deliver'; readonly label: string; readonly thread: SimulatedThread; readonly direction: LinkDirection };

/** An import of an actor module that a simulated thread waits for; the simulation settles it between decisions. */
interface PendingLoad {
  readonly load: Promise<AnyActorDefinition>;
  resolve(definition: AnyActorDefinition): void;
  reject(error: unknown): void;
}

/** The state of the simulated threads, shared by the engine's thread group and the simulation. */
interface ThreadRoom {
  /** The current thread of each index. */
  readonly threads: SimulatedThread[];
  readonly loads: PendingLoad[];
}

const defaultMaxBatchPerStep = 3;
const defaultMaxSteps = 1_000_000;

/**
 * An engine under deterministic simulation. The same seed and the same test
 * produce the same trace, byte for byte.
 *
 * Handlers must reach time only through the engine (`ctx.sendAfter`, ask
 * timeouts) and must not wait on real I/O or real timers. The simulation
 * does not control either, so a run that uses them is not reproducible.
 */
export class Simulation {
  /** The seed this run was started with. */
  readonly seed: bigint;
  /** The engine under simulation: spawn, send and ask through it as in production. */
  readonly engine: Engine;
  /** A generator for the test's own choices, separate from the scheduler's stream. */
  readonly random: SeededRandom;

  readonly #clock: SimulatedClock;
  readonly #scheduler: SimulatedScheduler;
  readonly #choices: SeededRandom;
  readonly #maxBatchPerStep: number;
  readonly #maxSteps: number;
  readonly #replay: RecordedDecision[] | undefined;
  readonly #trace: string[] = [];
  readonly #cells = new Map<string, ActorCell>();
  readonly #labels = new WeakMap<Runnable, string>();
  #otherTasks = 0;
  #stepFaults: { fault: Fault; step: number }[] = [];
  readonly #room: ThreadRoom;
  #threadStepFaults: { fault: ThreadFaultHandle; step: number; index: number }[] = [];
  #dropFaults: { fault: ThreadFaultHandle; direction: LinkDirection; match: ((message: Message) => boolean) | undefined }[] = [];
  #messageFaults: { fault: Fault; match: (message: Message) => boolean }[] = [];
  #step = 0;
  #driving = false;

  private constructor(
    seed: bigint,
    options: SimulationOptions,
    clock: SimulatedClock,
    scheduler: SimulatedScheduler,
    streams: { choices: SeededRandom; test: SeededRandom },
    engine: Engine,
    room: ThreadRoom,
  ) {
    this.#room = room;
    this.seed = seed;
    this.engine = engine;
    this.random = streams.test;
    this.#clock = clock;
    this.#scheduler = scheduler;
    this.#choices = streams.choices;
    this.#maxBatchPerStep = options.maxBatchPerStep ?? defaultMaxBatchPerStep;
    this.#maxSteps = options.maxSteps ?? defaultMaxSteps;
    this.#replay = options.replay === undefined ? undefined : parseDecisions(options.replay);
  }

  /**
   * Starts a simulated engine. Nothing runs until the test drives it.
   * @throws TypeError or RangeError naming the option when an option is invalid.
   */
  static async start(options: SimulationOptions): Promise<Simulation> {
    const seed = validateOptions(options);

    // Separate streams, so a test that draws a number more or less does not change the schedule.
    const root = new SeededRandom(seed);
    const choices = root.fork();
    const engineRandom = root.fork();
    const test = root.fork();

    const clock = new SimulatedClock();
    // Cells created before the Simulation exists wait here; the engine creates none yet, but nothing forbids it.
    const earlyCells: ActorCell[] = [];
    let observeCell = (cell: ActorCell): void => {
      earlyCells.push(cell);
    };
    const scheduler = new SimulatedScheduler((task) => {
      if (task instanceof ActorCell) observeCell(task);
    });

    const room: ThreadRoom = { threads: [], loads: [] };
    const threads = options.threads ?? 0;
    const engine = await Engine.start({
      ...options.engine,
      clock,
      scheduler,
      random: () => engineRandom.nextFloat(),
      ...(threads === 0 ? {} : { threads, [threadConnectorKey]: simulatedThreads(room, clock) }),
    });
    const simulation = new Simulation(seed, options, clock, scheduler, { choices, test }, engine, room);
    observeCell = (cell) => {
      simulation.#observeCell(cell);
    };
    for (const cell of earlyCells) simulation.#observeCell(cell);
    return simulation;
  }

  /** Scheduling decisions made so far. */
  get step(): number {
    return this.#step;
  }

  /** The trace so far, one line per decision or fault. */
  get trace(): readonly string[] {
    return this.#trace;
  }

  /** Returns the trace as text, one line per decision or fault. */
  traceText(): string {
    return this.#trace.join('\n');
  }

  /** Returns virtual time in milliseconds since the simulation started. */
  now(): number {
    return this.#clock.now();
  }

  /** Number of timers set and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#clock.pendingCount;
  }

  /** Runs ready actors and due timers until none is left. Virtual time does not move. */
  async runUntilIdle(): Promise<void> {
    await this.#drive(() => this.#runReady(Number.POSITIVE_INFINITY));
  }

  /**
   * Makes at most `count` decisions, fewer when everything becomes idle, and
   * returns how many it made. Virtual time does not move.
   */
  async runSteps(count: number): Promise<number> {
    assertPositiveInteger(count, 'runSteps count');
    return this.#drive(() => this.#runReady(count));
  }

  /**
   * Moves virtual time forward by `ms`, firing every timer due on the way in
   * time order, and runs until idle at each stop.
   */
  async advance(ms: number): Promise<void> {
    assertNonNegativeMs(ms, 'advance ms');
    await this.#drive(async () => {
      const target = this.#clock.now() + ms;
      for (;;) {
        await this.#runReady(Number.POSITIVE_INFINITY);
        const next = this.#clock.nextDueMs();
        if (next === undefined || next > target) break;
        this.#clock.advanceTo(next);
      }
      this.#clock.advanceTo(target);
    });
  }

  /**
   * Drives the simulation until `promise` settles, jumping to the next timer
   * whenever nothing is ready, and returns its value or throws its reason.
   * Fails with `Stalled` when it can never settle.
   */
  async run<T>(promise: Promise<T>, options?: RunOptions): Promise<T> {
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined) assertNonNegativeMs(timeoutMs, 'run timeoutMs');

    let settled = false;
    const outcome = promise.then(
      (value) => {
        settled = true;
        return value;
      },
      (error: unknown) => {
        settled = true;
        throw error;
      },
    );
    // The caller reads the outcome below; this only keeps an early rejection from being reported as unhandled.
    outcome.catch(() => undefined);

    await this.#drive(async () => {
      const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : this.#clock.now() + timeoutMs;
      for (;;) {
        await this.#runReady(Number.POSITIVE_INFINITY);
        if (settled) return;
        const next = this.#clock.nextDueMs();
        if (next === undefined) {
          throw this.#error('Stalled', 'the promise can never settle: no actor is ready and no timer is set');
        }
        if (next > deadline) {
          this.#clock.advanceTo(deadline);
          throw this.#error('TimedOut', `the promise did not settle within ${String(timeoutMs)} ms of virtual time`);
        }
        this.#clock.advanceTo(next);
      }
    });
    return outcome;
  }

  /** Shuts the engine down, driving the simulation until the shutdown completes. */
  shutdown(options?: ShutdownOptions): Promise<ShutdownReport> {
    return this.run(this.engine.shutdown(options));
  }

  // ---- Faults ----------------------------------------------------------------

  /**
   * Crashes the live incarnation of `target` now, as if its handler threw a
   * `SimulatedCrash`. Returns false when the path has no incarnation that
   * takes messages.
   */
  crash(target: FaultTarget): boolean {
    const fault = new Fault(targetPath(target), 1);
    return this.#crashCell(fault, 'now');
  }

  /**
   * Crashes `target` when the step counter reaches `step`, before the next
   * decision. If the path has no incarnation that takes messages then, the
   * trace records `crash-skipped` and the fault disarms.
   * @throws RangeError when `step` has already passed.
   */
  crashAt(step: number, target: FaultTarget): CrashFault {
    assertPositiveInteger(step, 'crashAt step');
    if (step < this.#step) {
      throw new RangeError(`crashAt step ${step} has already passed; the simulation is at step ${this.#step}`);
    }
    const fault = new Fault(targetPath(target), 1);
    this.#stepFaults.push({ fault, step });
    return fault;
  }

  /**
   * Crashes `target` when it is about to handle a message that matches:
   * the handler does not run, and an ask for that message rejects with
   * `HandlerFailed` whose cause is a `SimulatedCrash`.
   */
  crashOnMessage(target: FaultTarget, match: MessageMatch, options?: CrashOnMessageOptions): CrashFault {
    const times = options?.times ?? 1;
    assertPositiveInteger(times, 'crashOnMessage times');
    if (typeof match !== 'string' && typeof match !== 'function') {
      throw new TypeError(`crashOnMessage match must be a message type or a predicate, got ${describe(match)}`);
    }
    const fault = new Fault(targetPath(target), times);
    const predicate = typeof match === 'string' ? (message: Message) => message.type === match : match;
    this.#messageFaults.push({ fault, match: predicate });
    return fault;
  }

  /**
   * Kills simulated thread `index` now, as if the worker thread died: every
   * actor on it fails with `ThreadDiedError` kind `terminated`, asks waiting
   * on it reject with `NoResponse` at once, and batches in flight to or from
   * it are lost. Supervisors restart the actors on a replacement thread.
   * Returns false when the thread is already dead and not yet replaced.
   * @throws RangeError for an index the simulation does not run.
   */
  killThread(index: number): boolean {
    this.#threadAt(index, 'killThread index');
    const fault = new ThreadFaultHandle(`t${index}`, 'main', 1);
    return this.#killThread(fault, index, 'now');
  }

  /**
   * Kills simulated thread `index` when the step counter reaches `step`,
   * before the next decision. If it is dead then, the trace records
   * `kill-skipped` and the fault disarms.
   * @throws RangeError when `step` has already passed or the index names no thread.
   */
  killThreadAt(step: number, index: number): ThreadFault {
    assertPositiveInteger(step, 'killThreadAt step');
    this.#threadAt(index, 'killThreadAt index');
    if (step < this.#step) {
      throw new RangeError(`killThreadAt step ${step} has already passed; the simulation is at step ${this.#step}`);
    }
    const fault = new ThreadFaultHandle(`t${index}`, 'main', 1);
    this.#threadStepFaults.push({ fault, step, index });
    return fault;
  }

  /**
   * Drops batches between the main thread and a simulated thread: the next
   * batch from `from` to `to` that is about to be delivered (and, with
   * `match`, carries a message that matches) is lost instead, up to
   * `times` batches. One end must be `'main'`, because actors on
   * simulated threads reach each other only through the main thread.
   *
   * A lost batch is a fault the runtime does not repair: the main thread
   * still counts its messages as sent, so asks in it settle only by their
   * timeout on virtual time, and what the thread reported in a lost batch
   * back is never learnt. Kill the thread to start over cleanly.
   * @throws TypeError or RangeError naming the argument when the route is invalid.
   */
  dropBetweenThreads(from: ThreadEnd, to: ThreadEnd, options?: DropOptions): DropFault {
    const source = threadEnd(from, 'dropBetweenThreads from');
    const target = threadEnd(to, 'dropBetweenThreads to');
    if ((source === 'main') === (target === 'main')) {
      throw new TypeError(`dropBetweenThreads needs 'main' at exactly one end, got ${describe(from)} and ${describe(to)}`);
    }
    const index = source === 'main' ? (target as number) : source;
    this.#threadAt(index, source === 'main' ? 'dropBetweenThreads to' : 'dropBetweenThreads from');
    const times = options?.times ?? 1;
    assertPositiveInteger(times, 'dropBetweenThreads times');
    const match = options?.match;
    if (match !== undefined && typeof match !== 'string' && typeof match !== 'function') {
      throw new TypeError(`dropBetweenThreads match must be a message type or a predicate, got ${describe(match)}`);
    }
    if (match !== undefined && source !== 'main') {
      throw new TypeError('dropBetweenThreads match applies to batches from the main thread, which carry the messages');
    }
    const fault = new ThreadFaultHandle(source === 'main' ? 'main' : `t${source}`, target === 'main' ? 'main' : `t${target}`, times);
    let matches: ((message: Message) => boolean) | undefined = undefined;
    if (typeof match === 'string') matches = (message: Message) => message.type === match;
    else if (match !== undefined) matches = match;
    this.#dropFaults.push({ fault, direction: source === 'main' ? 'to-thread' : 'to-main', match: matches });
    return fault;
  }

  // ---- The loop --------------------------------------------------------------

  async #drive<T>(body: () => Promise<T>): Promise<T> {
    if (this.#driving) {
      throw new Error('the simulation is already running: await the previous call before starting another');
    }
    this.#driving = true;
    try {
      return await body();
    } finally {
      this.#driving = false;
    }
  }

  /** Makes up to `limit` decisions and returns how many it made; stops early when idle. */
  async #runReady(limit: number): Promise<number> {
    let made = 0;
    while (made < limit) {
      await settleMicrotasks();
      if (await this.#settleLoads()) continue;
      if (this.#applyStepFaults()) continue;

      const candidates = this.#candidates();
      if (candidates.length === 0) return made;
      if (made >= this.#maxSteps) {
        throw this.#error('StepLimit', `made ${this.#maxSteps} decisions in one call without becoming idle`);
      }
      this.#decide(candidates);
      made++;
    }
    return made;
  }

  /** The ready set: actors with work in the order they became ready, then the timers due now. */
  #candidates(): Candidate[] {
    const candidates: Candidate[] = [];
    for (const task of this.#scheduler.readyTasks) {
      candidates.push({ kind: 'run', label: this.#label(task), task, scheduler: this.#scheduler });
    }
    for (const thread of this.#room.threads) {
      if (thread.state !== 'running') continue;
      for (const task of thread.scheduler.readyTasks) {
        const name = 'label' in task && typeof task.label === 'string' ? task.label : 'task';
        candidates.push({ kind: 'run', label: `t${thread.index}:${name}`, task, scheduler: thread.scheduler });
      }
    }
    for (const thread of this.#room.threads) {
      if (thread.state !== 'running') continue;
      if (thread.inFlight('to-thread').length > 0) {
        candidates.push({ kind: 'deliver', label: `main>t${thread.index}`, thread, direction: 'to-thread' });
      }
      if (thread.inFlight('to-main').length > 0) {
        candidates.push({ kind: 'deliver', label: `t${thread.index}>main`, thread, direction: 'to-main' });
      }
    }
    for (const timer of this.#clock.dueTimers()) candidates.push({ kind: 'timer', label: `timer#${timer.id}`, timer });
    return candidates;
  }

  #decide(candidates: Candidate[]): void {
    const { candidate, batch } = this.#replay === undefined ? this.#draw(candidates) : this.#follow(candidates);
    this.#step++;
    const prefix = `${this.#step} t=${this.#clock.now()}`;

    if (candidate.kind === 'timer') {
      this.#trace.push(`${prefix} timer ${candidate.label} ready=${candidates.length}`);
      this.#clock.fire(candidate.timer);
      return;
    }

    if (candidate.kind === 'deliver') {
      this.#deliver(candidate, `${prefix} deliver ${candidate.label} ready=${candidates.length}`);
      return;
    }

    const index = candidate.scheduler.readyTasks.indexOf(candidate.task);
    const task = candidate.scheduler.take(index);
    // A crash fault may log while the task runs, so the line is placed first and completed after.
    const text = `${prefix} run ${candidate.label} ready=${candidates.length} batch=${batch}`;
    const line = this.#trace.push(text) - 1;
    const handled = task.run(batch);
    this.#trace[line] = `${text} handled=${handled}`;
  }

  #draw(candidates: Candidate[]): { candidate: Candidate; batch: number } {
    const candidate = candidates[this.#choices.nextInt(candidates.length)] as Candidate;
    const batch = candidate.kind === 'run' ? 1 + this.#choices.nextInt(this.#maxBatchPerStep) : 0;
    return { candidate, batch };
  }

  #follow(candidates: Candidate[]): { candidate: Candidate; batch: number } {
    const recorded = (this.#replay as RecordedDecision[])[this.#step];
    const ready = candidates.map((item) => item.label).join(', ');
    if (recorded === undefined) {
      throw this.#error('Divergence', `the recorded trace ends at step ${this.#step}, but ${ready} is ready`);
    }
    const candidate = candidates.find((item) => item.kind === recorded.kind && item.label === recorded.label);
    if (candidate === undefined) {
      throw this.#error('Divergence', `step ${recorded.step} of the recorded trace runs ${recorded.label}, but only ${ready} is ready`);
    }
    return { candidate, batch: recorded.batch };
  }

  /** Delivers the oldest batch of a direction, or drops it when an armed drop fault matches. */
  #deliver(candidate: Extract<Candidate, { kind: 'deliver' }>, text: string): void {
    const { thread, direction } = candidate;
    const batch = thread.inFlight(direction)[0] as Batch<MainOp | ThreadOp>;
    const entry = this.#dropFaults.find((item) => {
      if (!item.fault.armed || item.direction !== direction) return false;
      if (item.fault.from !== (direction === 'to-thread' ? 'main' : `t${thread.index}`)) return false;
      if (item.fault.to !== (direction === 'to-thread' ? `t${thread.index}` : 'main')) return false;
      const match = item.match;
      return match === undefined || batch.ops.some((op) => op.op === 'deliver' && match(op.message));
    });
    if (entry !== undefined) {
      thread.drop(direction);
      entry.fault.record(this.#step, thread.generation);
      this.#dropFaults = this.#dropFaults.filter((item) => item.fault.armed);
      this.#trace.push(`${text} ops=${batch.ops.length} dropped`);
      return;
    }
    const ops = thread.deliver(direction);
    this.#trace.push(`${text} ops=${ops}`);
  }

  #label(task: Runnable): string {
    if (task instanceof ActorCell) return `${task.addr.path}#${task.addr.generation}`;
    let label = this.#labels.get(task);
    if (label === undefined) {
      label = `task#${++this.#otherTasks}`;
      this.#labels.set(task, label);
    }
    return label;
  }

  // ---- Fault mechanics ---------------------------------------------------------

  /** Learns of every new incarnation, so faults can find it by path. It joins the ready set when created. */
  #observeCell(cell: ActorCell): void {
    const path = cell.addr.path;
    const known = this.#cells.get(path);
    if (known === cell) return;
    if (known !== undefined && known.addr.generation > cell.addr.generation) return;
    this.#cells.set(path, cell);
    cell.beforeHandler = (message) => {
      this.#checkMessage(cell, message);
    };
  }

  /** Throws a `SimulatedCrash` into the handler when an armed message fault matches. */
  #checkMessage(cell: ActorCell, message: Message): void {
    const path = cell.addr.path;
    for (const entry of this.#messageFaults) {
      const { fault } = entry;
      if (!fault.armed || fault.path !== path || !entry.match(message)) continue;
      fault.record(this.#step, cell.addr.generation);
      this.#messageFaults = this.#messageFaults.filter((item) => item.fault.armed);
      this.#trace.push(`${this.#step} t=${this.#clock.now()} crash ${path}#${cell.addr.generation} on-message:${message.type}`);
      throw new SimulatedCrash(path, cell.addr.generation, this.#step);
    }
  }

  /** Fires the step faults due now; returns whether any did, so the caller lets their effects settle. */
  #applyStepFaults(): boolean {
    const due = this.#stepFaults.filter((entry) => entry.step === this.#step && entry.fault.armed);
    const kills = this.#threadStepFaults.filter((entry) => entry.step === this.#step && entry.fault.armed);
    if (due.length === 0 && kills.length === 0) return false;
    this.#stepFaults = this.#stepFaults.filter((entry) => entry.step > this.#step && entry.fault.armed);
    this.#threadStepFaults = this.#threadStepFaults.filter((entry) => entry.step > this.#step && entry.fault.armed);
    for (const { fault } of due) this.#crashCell(fault, 'at-step');
    for (const { fault, index } of kills) this.#killThread(fault, index, 'at-step');
    return true;
  }

  /**
   * Settles the module imports simulated threads wait for, in the order
   * they were asked for. The imports are real I/O, so the simulation waits
   * for all of them here, between two decisions, and the moment a thread
   * learns its definition never depends on how fast the disk was.
   */
  async #settleLoads(): Promise<boolean> {
    const loads = this.#room.loads.splice(0);
    if (loads.length === 0) return false;
    const outcomes = await Promise.allSettled(loads.map((item) => item.load));
    outcomes.forEach((outcome, i) => {
      const item = loads[i] as PendingLoad;
      if (outcome.status === 'fulfilled') item.resolve(outcome.value);
      else item.reject(outcome.reason);
    });
    return true;
  }

  #threadAt(index: number, name: string): SimulatedThread {
    const count = this.#room.threads.length;
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
      const range = count === 0 ? 'none: start the simulation with { threads: n }' : `0 to ${count - 1}`;
      throw new RangeError(`${name} must name a simulated thread (${range}), got ${describe(index)}`);
    }
    return this.#room.threads[index] as SimulatedThread;
  }

  #killThread(fault: ThreadFaultHandle, index: number, how: 'now' | 'at-step'): boolean {
    const prefix = `${this.#step} t=${this.#clock.now()}`;
    const thread = this.#threadAt(index, 'thread index');
    if (thread.state !== 'running') {
      fault.cancel();
      this.#trace.push(`${prefix} kill-skipped t${index} ${how}`);
      return false;
    }
    fault.record(this.#step, thread.generation);
    this.#trace.push(`${prefix} kill-thread t${index}.${thread.generation} ${how} actors=${thread.actors}`);
    thread.kill();
    return true;
  }

  #crashCell(fault: Fault, how: 'now' | 'at-step'): boolean {
    const prefix = `${this.#step} t=${this.#clock.now()}`;
    const cell = this.#cells.get(fault.path);
    if (cell === undefined || !cell.accepting) {
      fault.cancel();
      this.#trace.push(`${prefix} crash-skipped ${fault.path} ${how}`);
      return false;
    }
    fault.record(this.#step, cell.addr.generation);
    this.#trace.push(`${prefix} crash ${fault.path}#${cell.addr.generation} ${how}`);
    return cell.crash(new SimulatedCrash(fault.path, cell.addr.generation, this.#step));
  }

  #error(kind: SimulationErrorKind, message: string): SimulationError {
    return new SimulationError(kind, `seed ${this.seed}, step ${this.#step}: ${message}`, this.seed, this.#step);
  }
}

/**
 * Starts simulated threads in place of worker threads. Each index keeps a
 * generation, 1 for its first thread and +1 for each replacement.
 */
function simulatedThreads(room: ThreadRoom, clock: SimulatedClock): ThreadConnector {
  const load = (url: string, exportName: string): Promise<AnyActorDefinition> =>
    new Promise((resolve, reject) => {
      const loading = loadActorDefinition(url, exportName);
      // The simulation reads the outcome before the next decision; this only keeps an early failure from being reported as unhandled.
      loading.catch(() => undefined);
      room.loads.push({ load: loading, resolve, reject });
    });
  return (index, boot) => {
    const generation = (room.threads[index]?.generation ?? 0) + 1;
    const thread = new SimulatedThread(index, generation, boot, clock, load);
    room.threads[index] = thread;
    return thread;
  };
}

/**
 * Resolves once every pending microtask and `process.nextTick` callback has
 * run, including those they queue: Node.js empties both queues before it
 * runs the next `setImmediate` callback.
 */
function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function validateOptions(options: SimulationOptions): bigint {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Simulation.start expects an options object with a seed, got ${describe(options)}`);
  }
  const { seed } = options;
  const valid =
    (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) ||
    (typeof seed === 'bigint' && seed >= 0n && seed < 1n << 64n);
  if (!valid) {
    throw new RangeError(`seed must be a safe integer >= 0 or a bigint below 2^64, got ${describe(seed)}`);
  }
  if (options.maxBatchPerStep !== undefined) assertPositiveInteger(options.maxBatchPerStep, 'maxBatchPerStep');
  if (options.maxSteps !== undefined) assertPositiveInteger(options.maxSteps, 'maxSteps');
  if (options.threads !== undefined) assertPositiveInteger(options.threads, 'threads');
  for (const key of ['clock', 'scheduler', 'random'] as const) {
    if (options.engine !== undefined && key in options.engine) {
      throw new TypeError(`engine.${key} cannot be set: the simulation supplies its own ${key}`);
    }
  }
  for (const key of ['threads', 'threadResourceLimits', 'threadExecArgv'] as const) {
    if (options.engine !== undefined && key in options.engine) {
      throw new TypeError(
        `engine.${key} cannot be set: a simulation runs simulated threads instead; use the simulation's own threads option`,
      );
    }
  }
  return BigInt(seed);
}
