/**
 * The thread host: runs actor cells on a worker thread with the thread's
 * own EventLoopScheduler, and reports what they do to the main thread.
 *
 * Each cell sits in a slot that is its CellHost. The slot forwards the
 * cell's started, failed and stop-requested notices, counts what the cell
 * took from its mailbox, and sends the replies to asks through the
 * outbox, so every notice and reply of one turn leaves in one `postMessage`.
 */

import { ActorCell, type CellHost } from '../actor/cell.js';
import type { ActorContext } from '../actor/context.js';
import type { AnyActorDefinition } from '../actor/define.js';
import type { ReplyTarget } from '../actor/envelope.js';
import type { StopReason } from '../actor/stop-reason.js';
import { AddrHash } from '../address/hash.js';
import { SendError } from '../errors.js';
import { realClock, type Clock } from '../scheduler/clock.js';
import { EventLoopScheduler } from '../scheduler/event-loop.js';
import type { Runnable, Scheduler } from '../scheduler/scheduler.js';
import { cloneMessage } from './clone.js';
import { decodeError, encodeError } from './error-codec.js';
import { loadActorDefinition } from './module-ref.js';
import { Outbox, type PostTarget } from './outbox.js';
import type { Batch, CellProgress, EncodedStopReason, MainOp, ThreadBootData, ThreadOp } from './protocol.js';
import { ThreadContext } from './thread-context.js';

type SpawnOp = Extract<MainOp, { op: 'spawn' }>;
type CellOp = Exclude<MainOp, { op: 'spawn' } | { op: 'shutdown' }>;

/** The scheduler and clock of a thread host that does not run on the event loop of a worker thread. */
export interface ThreadHostRuntime {
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  /** Loads the definition a spawn names. @default loadActorDefinition */
  readonly load?: (url: string, exportName: string) => Promise<AnyActorDefinition>;
}

/** The task a cell slot schedules, named `path#generation` after its incarnation. */
export interface ThreadTask extends Runnable {
  readonly label: string;
}

export class ThreadHost {
  readonly scheduler: Scheduler;
  readonly outbox: Outbox<ThreadOp>;
  private readonly slots = new Map<number, CellSlot>();
  private readonly dirty = new Set<CellSlot>();
  private readonly exit: () => void;

  readonly clock: Clock;
  readonly load: (url: string, exportName: string) => Promise<AnyActorDefinition>;

  /**
   * `exit` ends the thread once the last batch is posted. `runtime` replaces
   * the thread's event-loop scheduler and real clock, as a simulated thread
   * does; a worker thread leaves it out.
   */
  constructor(port: PostTarget, boot: ThreadBootData, exit: () => void, runtime?: ThreadHostRuntime) {
    this.scheduler =
      runtime?.scheduler ?? new EventLoopScheduler({ maxBatchPerTurn: boot.maxBatchPerTurn, maxBatchPerActor: boot.maxBatchPerActor });
    this.clock = runtime?.clock ?? realClock;
    this.load = runtime?.load ?? loadActorDefinition;
    this.outbox = new Outbox<ThreadOp>(port, this.reportProgress);
    this.exit = exit;
  }

  receive(batch: Batch<MainOp>): void {
    for (const op of batch.ops) {
      if (op.op === 'spawn') this.spawn(op);
      else if (op.op === 'shutdown') this.shutdown();
      else this.slots.get(op.cell)?.handle(op);
    }
  }

  /** Queues a progress report of `slot` for this turn's batch. */
  markDirty(slot: CellSlot): void {
    this.dirty.add(slot);
    this.outbox.requestFlush();
  }

  forget(slot: CellSlot): void {
    if (this.slots.get(slot.id) === slot) this.slots.delete(slot.id);
    this.dirty.delete(slot);
  }

  private spawn(op: SpawnOp): void {
    const slot = new CellSlot(this, op);
    this.slots.set(op.cell, slot);
    slot.load();
  }

  private shutdown(): void {
    this.outbox.flush();
    this.exit();
  }

  private readonly reportProgress = (): void => {
    for (const slot of this.dirty) slot.reportProgress();
    this.dirty.clear();
  };
}

/**
 * - `loading`: the module is being imported; operations wait in the backlog.
 * - `ready`: the cell exists.
 * - `failed`: the module could not be loaded, and the failure was reported to the main thread.
 * - `abandoned`: the main thread released the incarnation while its module loaded.
 */
type SlotState = 'loading' | 'ready' | 'failed' | 'abandoned';

class CellSlot implements CellHost {
  readonly id: number;
  readonly clock: Clock;
  readonly scheduler: Scheduler;

  private readonly host: ThreadHost;
  private readonly spawnOp: SpawnOp;
  private state: SlotState = 'loading';
  private cell: ActorCell | undefined;
  private backlog: CellOp[] = [];
  /** Envelopes put into the cell's mailbox. */
  private enqueued = 0;
  /** Envelopes the cell handed back unhandled, on close or failure. */
  private drained = 0;
  /** Envelopes whose handler finished, or whose outcome was dropped. */
  private completed = 0;
  private lastReport = '';

  // The cell schedules itself; the runner in its place also marks the slot for a progress report after each run.
  private readonly runner: ThreadTask;

  constructor(host: ThreadHost, op: SpawnOp) {
    this.id = op.cell;
    this.host = host;
    this.spawnOp = op;
    this.clock = host.clock;
    this.runner = {
      label: `${op.path}#${op.generation}`,
      scheduled: false,
      run: (budget: number): number => {
        const processed = this.cell?.run(budget) ?? 0;
        this.host.markDirty(this);
        return processed;
      },
    };
    this.scheduler = {
      schedule: () => {
        host.scheduler.schedule(this.runner);
      },
    };
  }

  load(): void {
    const op = this.spawnOp;
    this.host.load(op.url, op.exportName).then(
      (definition) => {
        this.start(definition);
      },
      (error: unknown) => {
        if (this.state === 'abandoned') return;
        this.state = 'failed';
        this.host.outbox.push({ op: 'failed', ...this.progress(), error: encodeError(error) });
        this.replayBacklog();
      },
    );
  }

  handle(op: CellOp): void {
    if (this.state === 'loading' && op.op === 'abandon') {
      // The main thread gave up on the incarnation before its module loaded, so it never starts.
      this.state = 'abandoned';
      this.backlog = [];
      this.host.forget(this);
      return;
    }
    if (this.state === 'loading' || this.state === 'abandoned') {
      if (this.state === 'loading') this.backlog.push(op);
      return;
    }
    switch (op.op) {
      case 'deliver':
        this.deliver(op);
        return;
      case 'close':
        this.close();
        return;
      case 'take-in-flight':
        this.cell?.takeInFlight();
        this.completed = this.dequeued();
        return;
      case 'run-on-stop':
        this.runOnStop(op.reason);
        return;
      case 'abandon':
        this.cell?.abandon();
        this.host.forget(this);
        return;
    }
  }

  // ---- CellHost -------------------------------------------------------------------

  createContext(cell: ActorCell): ActorContext {
    return new ThreadContext(cell);
  }

  onStarted(cell: ActorCell): void {
    this.host.outbox.push({ op: 'started', cell: this.id, actor: cell.definition.name });
  }

  onFailed(_cell: ActorCell, error: unknown, queued: unknown[]): void {
    this.drained += queued.length;
    this.host.outbox.push({ op: 'failed', ...this.progress(), error: encodeError(error) });
  }

  onStopRequested(cell: ActorCell): void {
    this.host.outbox.push({ op: 'stop-requested', ...this.progress() });
    // As on the main thread, the cell handles nothing after ctx.stop(): intake
    // closes here at once. The main thread's close answers for what was queued.
    void cell.close().then((queued) => {
      this.drained += queued.length;
    });
  }

  // ---- Reply bookkeeping ----------------------------------------------------------

  /** Counts an envelope whose handler finished; called by its reply target. */
  settled(): void {
    this.completed++;
    this.host.markDirty(this);
  }

  reply(op: ThreadOp): void {
    this.host.outbox.push(op);
  }

  target(): { path: string; generation: number } {
    return { path: this.spawnOp.path, generation: this.spawnOp.generation };
  }

  /** Sends a progress report if anything the main thread tracks changed since the last one. */
  reportProgress(): void {
    if (this.cell === undefined) return;
    const progress = this.progress();
    const key = `${progress.dequeued}:${progress.handled}:${String(progress.busy)}:${String(progress.inFlight)}`;
    if (key === this.lastReport) return;
    this.lastReport = key;
    this.host.outbox.push({ op: 'progress', ...progress });
  }

  // ---- Internals --------------------------------------------------------------------

  private start(definition: AnyActorDefinition): void {
    if (this.state === 'abandoned') return;
    const op = this.spawnOp;
    const addr = new AddrHash(op.path, op.pathHash, op.generation);
    this.cell = new ActorCell(definition, addr, op.mailboxCapacity, this);
    this.state = 'ready';
    this.replayBacklog();
  }

  private replayBacklog(): void {
    const backlog = this.backlog;
    this.backlog = [];
    for (const op of backlog) this.handle(op);
  }

  private deliver(op: Extract<CellOp, { op: 'deliver' }>): void {
    const cell = this.cell;
    // After a failure or a close the main thread counts every envelope it sent as never handled, so drop it here.
    if (cell === undefined || !cell.accepting) return;
    const reply = new ThreadReply(this, op.ask);
    if (cell.enqueue({ message: op.message, reply, context: undefined, headers: op.headers })) {
      this.enqueued++;
      return;
    }
    // NOTE: the main thread enforces the capacity before sending, so a full mailbox here means its count drifted.
    this.completed++;
    reply.handlerFailed(new SendError('MailboxFull', this.target()));
  }

  private close(): void {
    const cell = this.cell;
    if (cell === undefined) {
      this.host.outbox.push({ op: 'closed', ...this.progress() });
      return;
    }
    void cell.close().then((queued) => {
      this.drained += queued.length;
      this.host.outbox.push({ op: 'closed', ...this.progress() });
      if (!cell.isBusy) return;
      void cell.whenIdle().then(() => {
        this.host.outbox.push({ op: 'idle', cell: this.id });
      });
    });
  }

  private runOnStop(reason: EncodedStopReason): void {
    const cell = this.cell;
    if (cell === undefined) {
      this.host.outbox.push({ op: 'on-stop-done', cell: this.id, error: undefined });
      this.host.forget(this);
      return;
    }
    cell.runOnStop(decodeStopReason(reason)).then(
      () => {
        this.host.outbox.push({ op: 'on-stop-done', cell: this.id, error: undefined });
        this.host.forget(this);
      },
      (error: unknown) => {
        this.host.outbox.push({ op: 'on-stop-done', cell: this.id, error: encodeError(error) });
        this.host.forget(this);
      },
    );
  }

  private dequeued(): number {
    return this.enqueued - (this.cell?.mailbox.size ?? 0) - this.drained;
  }

  private progress(): CellProgress {
    const cell = this.cell;
    const dequeued = this.dequeued();
    const busy = cell?.isBusy ?? false;
    return {
      cell: this.id,
      dequeued,
      handled: cell?.handled ?? 0,
      computeMs: cell?.computeMs ?? 0,
      busy,
      inFlight: busy && this.completed < dequeued,
    };
  }
}

/**
 * The reply target of an envelope on the thread. Every envelope gets one,
 * asked or not, so the slot can count finished handlers. Only asks send
 * the outcome to the main thread.
 */
class ThreadReply implements ReplyTarget {
  private readonly slot: CellSlot;
  private readonly ask: number;

  constructor(slot: CellSlot, ask: number) {
    this.slot = slot;
    this.ask = ask;
  }

  resolve(value: unknown): void {
    this.slot.settled();
    if (this.ask === 0) return;
    let cloned: unknown;
    try {
      cloned = cloneMessage(value);
    } catch (error) {
      // The handler ran, but its return value cannot reach the caller.
      const failure = new SendError('SerializationFailed', this.slot.target(), error);
      this.slot.reply({ op: 'handler-failed', cell: this.slot.id, ask: this.ask, error: encodeError(failure) });
      return;
    }
    this.slot.reply({ op: 'resolve', cell: this.slot.id, ask: this.ask, value: cloned });
  }

  handlerFailed(cause: unknown): void {
    this.slot.settled();
    if (this.ask === 0) return;
    this.slot.reply({ op: 'handler-failed', cell: this.slot.id, ask: this.ask, error: encodeError(cause) });
  }

  noResponse(): void {
    // Only the main thread rejects asks with NoResponse, from its own record of what the thread never dequeued.
  }
}

function decodeStopReason(reason: EncodedStopReason): StopReason {
  if (reason.kind === 'failed') return { kind: 'failed', error: decodeError(reason.error) };
  return reason;
}
