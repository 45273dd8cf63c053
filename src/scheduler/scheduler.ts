/**
 * The scheduler seam: actors with work are handed to a scheduler, which
 * decides when and in what order they run.
 */

/** Something the scheduler runs: an actor cell with queued work. */
export interface Runnable {
  /** Set by the scheduler while the task sits in its run queue, so it is queued at most once. */
  scheduled: boolean;
  /**
   * Processes at most `budget` messages and returns how many it processed.
   * A task that still has work afterwards schedules itself again.
   */
  run(budget: number): number;
}

export interface Scheduler {
  /** Queues `task` to run soon; does nothing if it is already queued. */
  schedule(task: Runnable): void;
}
