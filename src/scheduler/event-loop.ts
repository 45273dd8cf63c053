/**
 * The production scheduler: runs actors on the Node.js event loop.
 *
 * Work starts in a microtask, so a reply reaches its caller within the same
 * event-loop turn. Each turn processes at most `maxBatchPerTurn` messages
 * in all (microtask drains included) and then continues in `setImmediate`,
 * so a busy actor, or two actors that ping-pong forever, cannot starve I/O.
 */

import { Mailbox } from '../actor/mailbox.js';
import type { Runnable, Scheduler } from './scheduler.js';

export interface EventLoopSchedulerOptions {
  /** Messages processed in one event-loop turn before yielding. */
  readonly maxBatchPerTurn: number;
  /** Messages one actor processes before the next ready actor gets its turn. */
  readonly maxBatchPerActor: number;
}

const settled = Promise.resolve();

export class EventLoopScheduler implements Scheduler {
  private readonly runQueue = new Mailbox<Runnable>(Number.MAX_SAFE_INTEGER);
  private readonly maxBatchPerTurn: number;
  private readonly maxBatchPerActor: number;
  private drainPending = false;
  private turnResetPending = false;
  private processedThisTurn = 0;

  constructor(options: EventLoopSchedulerOptions) {
    this.maxBatchPerTurn = options.maxBatchPerTurn;
    this.maxBatchPerActor = options.maxBatchPerActor;
  }

  schedule(task: Runnable): void {
    if (task.scheduled) return;
    task.scheduled = true;
    this.runQueue.push(task);
    if (this.drainPending) return;

    this.drainPending = true;
    // A reaction on a settled promise is a plain V8 microtask, while queueMicrotask adds an AsyncResource per call.
    if (this.processedThisTurn < this.maxBatchPerTurn) void settled.then(this.drain);
    else setImmediate(this.drainInNewTurn);
  }

  // `drainPending` stays true while a drain runs, so tasks scheduled during it join this drain.
  private readonly drain = (): void => {
    // Counting restarts once the event loop has had its turn.
    if (!this.turnResetPending) {
      this.turnResetPending = true;
      setImmediate(this.resetTurn);
    }

    try {
      this.runBatch();
    } catch (error) {
      // A task that throws has a bug, and the error goes on to the process as an
      // uncaught exception. The tasks still queued run in the next turn, because
      // `drainPending` would otherwise stay true and no task on this thread would run again.
      setImmediate(this.drainInNewTurn);
      process.nextTick(() => {
        throw error;
      });
    }
  };

  private runBatch(): void {
    while (this.processedThisTurn < this.maxBatchPerTurn) {
      const task = this.runQueue.shift();
      if (task === undefined) {
        this.drainPending = false;
        return;
      }
      task.scheduled = false;
      const budget = Math.min(this.maxBatchPerActor, this.maxBatchPerTurn - this.processedThisTurn);
      // A task that ran no message (a start or stop signal) still costs one unit, so the loop always ends.
      this.processedThisTurn += Math.max(1, task.run(budget));
    }

    if (this.runQueue.size > 0) setImmediate(this.drainInNewTurn);
    else this.drainPending = false;
  }

  private readonly drainInNewTurn = (): void => {
    this.processedThisTurn = 0;
    this.drain();
  };

  private readonly resetTurn = (): void => {
    this.turnResetPending = false;
    this.processedThisTurn = 0;
  };
}
