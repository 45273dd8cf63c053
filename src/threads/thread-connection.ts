/**
 * ThreadConnection: the main thread's side of one worker thread. It posts
 * batches to the thread, routes the thread's notices to its RemoteCells,
 * and detects the thread's death.
 */

import { Worker, type ResourceLimits, type Transferable } from 'node:worker_threads';
import type { AddrHash } from '../address/hash.js';
import { publish } from '../introspection/diagnostics.js';
import { ThreadDiedError, type ThreadDeathKind } from './errors.js';
import { threadChannels, type ThreadDeathEvent } from './events.js';
import type { ActorModuleRef } from './module-ref.js';
import { Outbox } from './outbox.js';
import type { Batch, MainOp, ThreadBootData, ThreadOp } from './protocol.js';
import { RemoteCell, type RemoteCellHost, type ThreadLink } from './remote-cell.js';

/**
 * - `running`: the thread takes work.
 * - `dead`: it ended on its own (exit, uncaught exception, out of memory).
 * - `terminated`: it ended because the group shut it down.
 */
export type ThreadState = 'running' | 'dead' | 'terminated';

export interface ThreadConnectionOptions {
  readonly index: number;
  readonly entry: URL;
  readonly boot: ThreadBootData;
  readonly resourceLimits: ResourceLimits | undefined;
  /** `undefined` lets the thread inherit the process's `execArgv`. */
  readonly execArgv: readonly string[] | undefined;
}

/** Per-thread counters, for the snapshot. */
export interface ThreadCounters {
  /** `postMessage` calls to the thread. */
  readonly batchesSent: number;
  /** Operations sent in those batches: deliveries plus control operations. */
  readonly opsSent: number;
  /** Batches received from the thread. */
  readonly batchesReceived: number;
  /** Operations received: replies, notices and progress reports. */
  readonly opsReceived: number;
}

export class ThreadConnection implements ThreadLink {
  readonly index: number;
  readonly worker: Worker;
  /** The worker's `threadId`, kept because it reads -1 once the thread has exited. */
  readonly threadId: number;
  /** Resolves with the exit code once the thread has exited, whatever the reason. */
  readonly exited: Promise<number>;
  /** Actors started on this thread in its life. */
  actorsStarted = 0;

  private currentState: ThreadState = 'running';
  private readonly outbox: Outbox<MainOp>;
  private readonly cells = new Map<number, RemoteCell>();
  private cellIds = 0;
  private askIds = 0;
  private shutdownRequested = false;
  private reportedError: unknown;
  private batchesReceived = 0;
  private opsReceived = 0;

  constructor(options: ThreadConnectionOptions) {
    this.index = options.index;
    this.worker = new Worker(options.entry, {
      workerData: options.boot,
      ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
      ...(options.execArgv === undefined ? {} : { execArgv: [...options.execArgv] }),
    });
    this.threadId = this.worker.threadId;
    this.outbox = new Outbox<MainOp>(this.worker);

    this.worker.on('message', (batch: Batch<ThreadOp>) => {
      this.receive(batch);
    });
    // A batch the thread sent could not be deserialized here. Replies and notices are lost with it,
    // so the thread's actors can no longer be tracked: end the thread and fail them.
    this.worker.on('messageerror', (error: unknown) => {
      this.reportedError = error;
      this.die('uncaught', undefined);
      void this.worker.terminate();
    });
    // 'error' comes first for an uncaught exception or an out-of-memory end; 'exit' follows it.
    this.worker.on('error', (error: unknown) => {
      this.reportedError = error;
      const outOfMemory = (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.die(outOfMemory ? 'out-of-memory' : 'uncaught', undefined);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (exitCode: number) => {
        this.die(this.shutdownRequested ? 'terminated' : 'exited', exitCode);
        resolve(exitCode);
      });
    });
  }

  get state(): ThreadState {
    return this.currentState;
  }

  /** Live actors on this thread. */
  get actors(): number {
    return this.cells.size;
  }

  get counters(): ThreadCounters {
    return {
      batchesSent: this.outbox.posts,
      opsSent: this.outbox.opsPosted,
      batchesReceived: this.batchesReceived,
      opsReceived: this.opsReceived,
    };
  }

  /**
   * Starts an incarnation of the definition `module` names on this thread.
   * The thread imports the module first; messages sent meanwhile wait there.
   */
  spawn(module: ActorModuleRef, addr: AddrHash, mailboxCapacity: number, host: RemoteCellHost): RemoteCell {
    const cell = new RemoteCell(++this.cellIds, addr, module.name, mailboxCapacity, this, host);
    this.actorsStarted++;
    this.cells.set(cell.id, cell);
    this.post({
      op: 'spawn',
      cell: cell.id,
      url: module.url,
      exportName: module.exportName,
      path: addr.path,
      pathHash: addr.pathHash,
      generation: addr.generation,
      mailboxCapacity,
    });
    // A thread that is already gone fails the incarnation as soon as the caller holds it.
    if (this.currentState !== 'running') {
      queueMicrotask(() => {
        cell.threadDied(this.deathError(cell, 'terminated', undefined));
      });
    }
    return cell;
  }

  // ---- ThreadLink -------------------------------------------------------------

  post(op: MainOp): void {
    this.outbox.push(op);
  }

  postNow(op: MainOp, transfer: readonly Transferable[]): void {
    this.outbox.postNow(op, transfer);
  }

  nextAskId(): number {
    return ++this.askIds;
  }

  release(cell: RemoteCell): void {
    if (this.cells.get(cell.id) === cell) this.cells.delete(cell.id);
  }

  // ---- Shutdown ---------------------------------------------------------------

  /** Asks the thread to exit once it has flushed its last batch. */
  requestShutdown(): void {
    if (this.currentState !== 'running' || this.shutdownRequested) return;
    this.shutdownRequested = true;
    this.outbox.push({ op: 'shutdown' });
    this.outbox.flush();
  }

  /**
   * Ends the thread at once as a dead one, for a thread that stopped
   * answering: every actor on it fails now with `ThreadDiedError` kind
   * `terminated`, and the group replaces the thread on its next use.
   */
  kill(): void {
    if (this.currentState !== 'running') return;
    this.die('terminated', undefined);
    void this.worker.terminate();
  }

  /** Ends the thread at once, even inside a synchronous loop. */
  async terminate(): Promise<number> {
    this.shutdownRequested = true;
    await this.worker.terminate();
    return this.exited;
  }

  // ---- Receiving ----------------------------------------------------------------

  private receive(batch: Batch<ThreadOp>): void {
    this.batchesReceived++;
    this.opsReceived += batch.ops.length;
    for (const op of batch.ops) this.dispatch(op);
  }

  private dispatch(op: ThreadOp): void {
    dispatchThreadOp(this.cells, op);
  }

  // ---- Death --------------------------------------------------------------------

  /** Marks the thread ended and fails every actor on it at once. Runs once, on the first sign of the end. */
  private die(kind: ThreadDeathKind, exitCode: number | undefined): void {
    if (this.currentState !== 'running') return;
    this.currentState = this.shutdownRequested ? 'terminated' : 'dead';
    const deathKind: ThreadDeathKind = this.shutdownRequested ? 'terminated' : kind;
    this.outbox.close();

    const cells = [...this.cells.values()];
    this.cells.clear();
    if (this.currentState === 'dead') {
      publish(threadChannels.death, () => ({
        thread: this.index,
        threadId: this.threadId,
        kind: deathKind,
        exitCode,
        error: this.reportedError,
        actors: cells.length,
      }) satisfies ThreadDeathEvent);
    }
    for (const cell of cells) cell.threadDied(this.deathError(cell, deathKind, exitCode));
  }

  private deathError(cell: RemoteCell, kind: ThreadDeathKind, exitCode: number | undefined): ThreadDiedError {
    return new ThreadDiedError(kind, this.index, exitCode, { path: cell.addr.path, generation: cell.addr.generation }, this.reportedError);
  }
}

/** Hands one operation from a thread to the RemoteCell it names; drops it when that cell is gone. */
export function dispatchThreadOp(cells: ReadonlyMap<number, RemoteCell>, op: ThreadOp): void {
  const cell = cells.get(op.cell);
  if (cell === undefined) return;
  switch (op.op) {
    case 'progress':
      cell.applyProgress(op);
      return;
    case 'started':
      cell.started(op.actor);
      return;
    case 'failed':
      cell.failed(op, op.error);
      return;
    case 'stop-requested':
      cell.stopRequested(op);
      return;
    case 'closed':
      cell.closed(op);
      return;
    case 'idle':
      cell.idle();
      return;
    case 'on-stop-done':
      cell.onStopDone(op.error);
      return;
    case 'resolve':
      cell.settleAsk(op.ask, { value: op.value });
      return;
    case 'handler-failed':
      cell.settleAsk(op.ask, { error: op.error });
      return;
  }
}
