/**
 * Restart intensity (a sliding window per child) and restart backoff.
 */

import type { RandomSource } from '../scheduler/clock.js';
import type { Backoff, Intensity } from './options.js';

/** The restart times of one child inside the intensity window. */
export class RestartWindow {
  private times: number[] = [];

  /**
   * Records a restart at `now` and returns how many restarts fall inside
   * the window ending at `now`, this one included.
   */
  record(now: number, intensity: Intensity): number {
    const windowStart = now - intensity.windowMs;
    this.times = this.times.filter((time) => time > windowStart);
    this.times.push(now);
    return this.times.length;
  }

  /** Whether `count` restarts inside one window exceed the intensity. */
  static exceeds(count: number, intensity: Intensity): boolean {
    return count > intensity.maxRestarts;
  }
}

/**
 * Returns the delay before restart number `attempt` (1-based, counted inside
 * the intensity window): `min(maxMs, minMs * 2^(attempt-1))`, scaled down by
 * up to `jitter` of itself at random, and never below `minMs`.
 */
export function backoffDelayMs(backoff: Required<Backoff>, attempt: number, random: RandomSource): number {
  const exponential = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(backoff.minMs, exponential * (1 - backoff.jitter * random()));
}
