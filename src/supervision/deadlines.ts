/**
 * Bounded waits for one actor's stop: each wait ends when its work settles
 * or when its time runs out, whichever comes first, and a shutdown deadline
 * can end every wait at once.
 */

import type { Clock } from '../scheduler/clock.js';

export class StopDeadlines {
  readonly #clock: Clock;
  /** One expiry function per wait in progress. */
  readonly #pending = new Set<() => void>();


  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Resolves true if `work` settles (either way) within `timeoutMs`, false
   * if the time runs out or `expireAll` is called first. Never rejects, and
   * releases its timer on every path.
   */
  waitAtMost(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (inTime: boolean): void => {
        if (!this.#pending.delete(expire)) return;
        this.#clock.clearTimer(timer);
        resolve(inTime);
      };
      const expire = (): void => {
        finish(false);
      };
      this.#pending.add(expire);
      const timer = this.#clock.setTimer(expire, timeoutMs);
      const settle = (): void => {
        finish(true);
      };
      work.then(settle, settle);
    });
  }

  /** Ends every wait in progress as timed out. */
  expireAll(): void {
    for (const expire of [...this.#pending]) expire();
  }
}
