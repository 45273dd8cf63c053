/**
 * A scheduler that runs nothing by itself. It keeps the ready set, the
 * tasks that have work, in the order they became ready, and the simulation
 * takes them out one at a time in an order of its choosing.
 */

import type { Runnable, Scheduler } from './scheduler.js';

export class SimulatedScheduler implements Scheduler {
  private readonly ready: Runnable[] = [];
  private readonly observe: ((task: Runnable) => void) | undefined;

  /** @param observe called with each task as it joins the ready set, before it can run. */
  constructor(observe?: (task: Runnable) => void) {
    this.observe = observe;
  }

  schedule(task: Runnable): void {
    if (task.scheduled) return;
    task.scheduled = true;
    this.ready.push(task);
    this.observe?.(task);
  }

  /** The tasks waiting to run, oldest first. */
  get readyTasks(): readonly Runnable[] {
    return this.ready;
  }

  /** Removes the task at `index` from the ready set and returns it; it may schedule itself again while it runs. */
  take(index: number): Runnable {
    const [task] = this.ready.splice(index, 1);
    if (task === undefined) throw new RangeError(`no ready task at index ${index}; ${this.ready.length} are ready`);
    task.scheduled = false;
    return task;
  }
}
