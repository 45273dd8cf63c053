/**
 * The outbox: batches the operations produced in one turn into one
 * `postMessage` per destination port.
 *
 * Operations pushed during a turn are posted together from a microtask,
 * after the code that pushed them (a user's send loop, or a scheduler drain
 * of up to `maxBatchPerTurn` messages) has returned. Every operation must
 * already be a structured clone (or built only of cloneable parts), so the
 * batch post cannot fail because of one message.
 */

import type { Transferable } from 'node:worker_threads';
import type { Batch } from './protocol.js';

/** The part of a `Worker` or `MessagePort` the outbox posts to. */
export interface PostTarget {
  postMessage(value: unknown, transfer?: readonly Transferable[]): void;
}

export class Outbox<Op> {
  /** `postMessage` calls made so far. */
  posts = 0;
  /** Operations posted so far. */
  opsPosted = 0;

  private readonly target: PostTarget;
  private readonly beforeFlush: (() => void) | undefined;
  private pending: Op[] = [];
  private flushQueued = false;
  private closed = false;

  /** `beforeFlush` runs right before each batch is posted and may push more operations into it. */
  constructor(target: PostTarget, beforeFlush?: () => void) {
    this.target = target;
    this.beforeFlush = beforeFlush;
  }

  /** Queues `op` for the batch of this turn. */
  push(op: Op): void {
    if (this.closed) return;
    this.pending.push(op);
    this.requestFlush();
  }

  /** Makes sure a flush runs at the end of this turn, even if nothing is pushed before it. */
  requestFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    queueMicrotask(this.flush);
  }

  /**
   * Posts `op` at once with a transfer list, after the batch queued so far,
   * so order is kept. Throws what `postMessage` throws (a `DataCloneError`
   * for a value that cannot be cloned or transferred); nothing is sent then.
   */
  postNow(op: Op, transfer: readonly Transferable[]): void {
    this.flush();
    const batch: Batch<Op> = { ops: [op] };
    this.target.postMessage(batch, transfer);
    this.posts++;
    this.opsPosted++;
  }

  /** Posts the queued batch now. */
  readonly flush = (): void => {
    if (this.closed) return;
    // Operations that beforeFlush pushes join this batch instead of queueing another flush.
    this.flushQueued = true;
    this.beforeFlush?.();
    this.flushQueued = false;
    if (this.pending.length === 0) return;

    const ops = this.pending;
    this.pending = [];
    const batch: Batch<Op> = { ops };
    this.target.postMessage(batch);
    this.posts++;
    this.opsPosted += ops.length;
  };

  /** Drops whatever is queued and posts nothing more, as for a dead thread. */
  close(): void {
    this.closed = true;
    this.pending = [];
  }
}
