/**
 * A simulated worker thread: a ThreadHost that runs in the calling thread
 * on the simulation's clock, joined to the main side by an in-memory link.
 *
 * Nothing moves by itself. The host's ready tasks sit in the thread's own
 * SimulatedScheduler, and each batch that one side posts waits in a queue
 * of its direction (main to thread, thread to main). The simulation draws
 * from all of them: running a task and delivering the oldest batch of a
 * direction are scheduling decisions. Batches of one direction are
 * delivered in the order they were posted, as `postMessage` does; only
 * batches of different directions and threads interleave.
 *
 * A batch is copied with `structuredClone` when it is posted, as
 * `postMessage` copies it, after the same per-message clone step that real
 * threads use, so a message that cannot cross fails the send the same way.
 */

import type { Transferable } from 'node:worker_threads';
import type { AnyActorDefinition } from '../actor/define.js';
import type { AddrHash } from '../address/hash.js';
import type { Clock } from '../scheduler/clock.js';
import { SimulatedScheduler } from '../scheduler/simulated-scheduler.js';
import { ThreadDiedError, type ThreadDeathKind } from '../threads/errors.js';
import type { ActorModuleRef } from '../threads/module-ref.js';
import { Outbox } from '../threads/outbox.js';
import type { Batch, MainOp, ThreadBootData, ThreadOp } from '../threads/protocol.js';
import { RemoteCell, type RemoteCellHost, type ThreadLink } from '../threads/remote-cell.js';
import { dispatchThreadOp, type ThreadCounters, type ThreadState } from '../threads/thread-connection.js';
import type { GroupThread } from '../threads/thread-group.js';
import { ThreadHost } from '../threads/thread-host.js';

/** A direction of the link: the main side to a thread, or a thread to the main side. */
export type LinkDirection = 'to-thread' | 'to-main';

export class SimulatedThread implements GroupThread, ThreadLink {
  readonly index: number;
  /** Simulated threads have no worker `threadId`. */
  readonly threadId = -1;
  readonly exited: Promise<number>;
  /** The thread's own ready set: tasks of the actors on it. */
  readonly scheduler = new SimulatedScheduler();
  /** Generation of this index: 1 for its first thread, +1 for each replacement. */
  readonly generation: number;
  actorsStarted = 0;

  private readonly host: ThreadHost;
  private readonly outbox: Outbox<MainOp>;
  private readonly cells = new Map<number, RemoteCell>();
  private readonly toThread: Batch<MainOp>[] = [];
  private readonly toMain: Batch<ThreadOp>[] = [];
  private currentState: ThreadState = 'running';
  private cellIds = 0;
  private askIds = 0;
  private shutdownRequested = false;
  private hostExited = false;
  private resolveExited: (code: number) => void = () => undefined;
  private batchesReceived = 0;
  private opsReceived = 0;

  constructor(
    index: number,
    generation: number,
    boot: ThreadBootData,
    clock: Clock,
    load: (url: string, exportName: string) => Promise<AnyActorDefinition>,
  ) {
    this.index = index;
    this.generation = generation;
    this.exited = new Promise((resolve) => {
      this.resolveExited = resolve;
    });
    this.outbox = new Outbox<MainOp>({
      postMessage: (value: unknown, transfer?: readonly Transferable[]) => {
        const copy = structuredClone(value, transfer === undefined ? undefined : { transfer: [...transfer] }) as Batch<MainOp>;
        if (this.currentState === 'running') this.toThread.push(copy);
      },
    });
    const port = {
      postMessage: (value: unknown): void => {
        if (this.currentState !== 'running') return;
        this.toMain.push(structuredClone(value) as Batch<ThreadOp>);
      },
    };
    this.host = new ThreadHost(
      port,
      boot,
      () => {
        this.hostExit();
      },
      { scheduler: this.scheduler, clock, load },
    );
  }

  get state(): ThreadState {
    return this.currentState;
  }

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

  /** Batches in flight in `direction`, oldest first. */
  inFlight(direction: LinkDirection): readonly Batch<MainOp | ThreadOp>[] {
    return direction === 'to-thread' ? this.toThread : this.toMain;
  }

  /** Delivers the oldest batch in flight in `direction`; returns its number of operations. */
  deliver(direction: LinkDirection): number {
    if (direction === 'to-thread') {
      const batch = this.toThread.shift();
      if (batch === undefined) return 0;
      this.host.receive(batch);
      return batch.ops.length;
    }
    const batch = this.toMain.shift();
    if (batch === undefined) return 0;
    this.batchesReceived++;
    this.opsReceived += batch.ops.length;
    for (const op of batch.ops) dispatchThreadOp(this.cells, op);
    if (this.hostExited && this.toMain.length === 0) this.finishExit();
    return batch.ops.length;
  }

  /** Removes the oldest batch in flight in `direction` without delivering it; returns it. */
  drop(direction: LinkDirection): Batch<MainOp | ThreadOp> | undefined {
    const batch = direction === 'to-thread' ? this.toThread.shift() : this.toMain.shift();
    if (direction === 'to-main' && this.hostExited && this.toMain.length === 0) this.finishExit();
    return batch;
  }

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

  // ---- Ending -------------------------------------------------------------------

  requestShutdown(): void {
    if (this.currentState !== 'running' || this.shutdownRequested) return;
    this.shutdownRequested = true;
    this.outbox.push({ op: 'shutdown' });
    this.outbox.flush();
  }

  /** Ends the thread at once as a dead one: every actor on it fails with `ThreadDiedError` kind `terminated`. */
  kill(): void {
    this.die('terminated', 1);
  }

  terminate(): Promise<number> {
    this.shutdownRequested = true;
    this.die('terminated', 1);
    return this.exited;
  }

  private hostExit(): void {
    this.hostExited = true;
    if (this.toMain.length === 0) this.finishExit();
  }

  private finishExit(): void {
    this.die(this.shutdownRequested ? 'terminated' : 'exited', 0);
  }

  /** Marks the thread ended, drops what is in flight and fails every actor on it. */
  private die(kind: ThreadDeathKind, exitCode: number): void {
    if (this.currentState !== 'running') return;
    this.currentState = this.shutdownRequested ? 'terminated' : 'dead';
    const deathKind: ThreadDeathKind = this.shutdownRequested ? 'terminated' : kind;
    this.outbox.close();
    this.toThread.length = 0;
    this.toMain.length = 0;
    const cells = [...this.cells.values()];
    this.cells.clear();
    for (const cell of cells) cell.threadDied(this.deathError(cell, deathKind, exitCode));
    this.resolveExited(exitCode);
  }

  private deathError(cell: RemoteCell, kind: ThreadDeathKind, exitCode: number | undefined): ThreadDiedError {
    return new ThreadDiedError(kind, this.index, exitCode, { path: cell.addr.path, generation: cell.addr.generation });
  }
}
