/**
 * The bare baseline: the least code that still behaves like actors on one
 * thread. Each actor has an unbounded array queue and a handler table, and
 * one run queue drains ready actors in a microtask. There are no bounds, no
 * supervision, no async context, no yielding to I/O and no error handling,
 * so it is the physical limit that rhodium's numbers are compared with.
 */

/** A handler table: each message type to the handler of that variant. */
export type BareHandlers<S, M extends { readonly type: string }> = {
  readonly [K in M['type']]: (state: S, message: Extract<M, { readonly type: K }>) => void;
};

export class BareActor<S, M extends { readonly type: string }> {
  state: S;
  scheduled = false;
  private readonly queue: (M | undefined)[] = [];
  private head = 0;
  private readonly scheduler: BareScheduler;
  private readonly handlers: BareHandlers<S, M>;

  constructor(scheduler: BareScheduler, state: S, handlers: BareHandlers<S, M>) {
    this.scheduler = scheduler;
    this.state = state;
    this.handlers = handlers;
  }

  send(message: M): void {
    this.queue.push(message);
    if (!this.scheduled) this.scheduler.ready(this);
  }

  /** Handles every queued message, including those that arrive meanwhile. */
  runQueued(): void {
    const queue = this.queue;
    while (this.head < queue.length) {
      const message = queue[this.head] as M;
      queue[this.head++] = undefined;
      const handler = this.handlers[message.type as M['type']] as (state: S, message: M) => void;
      handler(this.state, message);
    }
    queue.length = 0;
    this.head = 0;
  }
}

interface Ready {
  scheduled: boolean;
  runQueued(): void;
}

export class BareScheduler {
  private readonly readyQueue: (Ready | undefined)[] = [];
  private head = 0;
  private draining = false;

  ready(actor: Ready): void {
    actor.scheduled = true;
    this.readyQueue.push(actor);
    if (this.draining) return;
    this.draining = true;
    queueMicrotask(this.drain);
  }

  private readonly drain = (): void => {
    const queue = this.readyQueue;
    while (this.head < queue.length) {
      const actor = queue[this.head] as Ready;
      queue[this.head++] = undefined;
      actor.scheduled = false;
      actor.runQueued();
    }
    queue.length = 0;
    this.head = 0;
    this.draining = false;
  };
}
