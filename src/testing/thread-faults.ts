/**
 * Faults of simulated threads: killing a thread and dropping batches
 * between the main thread and a thread.
 */

import { describe } from '../supervision/options.js';
import type { MessageMatch } from './faults.js';

/** One end of a link: the main thread, or a simulated thread by index. */
export type ThreadEnd = 'main' | number;

/** A thread fault that fired. */
export interface ThreadFaultFiring {
  readonly step: number;
  /** Generation of the simulated thread it hit: 1 for the first thread of an index, +1 for each replacement. */
  readonly threadGeneration: number;
}

/** An armed thread fault: a `killThreadAt` or a `dropBetweenThreads`. */
export interface ThreadFault {
  /** `'main'` or `t<index>`; for a kill, the thread it kills. */
  readonly from: string;
  /** `'main'` or `t<index>`. */
  readonly to: string;
  /** Every firing so far, in order. */
  readonly firings: readonly ThreadFaultFiring[];
  /** Whether it can still fire. */
  readonly armed: boolean;
  /** Disarms it; firings so far stay recorded. */
  cancel(): void;
}

/** A `dropBetweenThreads` fault; each firing is one lost batch. */
export type DropFault = ThreadFault;

/** Options of `dropBetweenThreads`. */
export interface DropOptions {
  /** Batches to drop before disarming. @default 1 */
  readonly times?: number;
  /**
   * Drops only a batch that carries a message whose `type` is this (or for
   * which this predicate returns true). Batches from the main thread only.
   * @default every batch
   */
  readonly match?: MessageMatch;
}

/** The mutable side of a `ThreadFault`, kept by the simulation. */
export class ThreadFaultHandle implements ThreadFault {
  readonly from: string;
  readonly to: string;
  readonly firings: ThreadFaultFiring[] = [];
  armed = true;
  private remaining: number;

  constructor(from: string, to: string, times: number) {
    this.from = from;
    this.to = to;
    this.remaining = times;
  }

  cancel(): void {
    this.armed = false;
  }

  record(step: number, threadGeneration: number): void {
    this.firings.push({ step, threadGeneration });
    this.remaining--;
    if (this.remaining === 0) this.armed = false;
  }
}

/**
 * Checks one end of a link.
 * @throws TypeError naming `name` for anything but `'main'` or a thread index.
 */
export function threadEnd(end: unknown, name: string): ThreadEnd {
  if (end === 'main') return end;
  if (typeof end === 'number' && Number.isSafeInteger(end) && end >= 0) return end;
  throw new TypeError(`${name} must be 'main' or a simulated thread index, got ${describe(end)}`);
}
