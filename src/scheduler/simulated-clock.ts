/**
 * A clock on virtual time. Time does not move until the simulation moves
 * it, and a timer never fires by itself: the simulation collects the timers
 * that are due and runs them as scheduling decisions.
 */

import type { Clock, TimerHandle } from './clock.js';

/** A pending timer. `id` grows with every `setTimer`, so it orders timers set for the same time. */
export interface SimulatedTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

// Node.js runs a timer whose delay is below 1 ms, above this or not a number after 1 ms, and so does this clock.
const maxTimerDelayMs = 2_147_483_647;

export class SimulatedClock implements Clock {
  private nowMs = 0;
  private nextId = 1;
  private readonly pending = new Map<number, SimulatedTimer>();

  now(): number {
    return this.nowMs;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const delay = delayMs >= 1 && delayMs <= maxTimerDelayMs ? delayMs : 1;
    const timer: SimulatedTimer = { id: this.nextId++, dueMs: this.nowMs + delay, callback };
    this.pending.set(timer.id, timer);
    return timer.id as unknown as TimerHandle;
  }

  clearTimer(handle: TimerHandle): void {
    this.pending.delete(handle as unknown as number);
  }

  /** Number of timers that are set and have not fired or been cleared. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Returns the earliest due time of any pending timer, or `undefined` when none is set. */
  nextDueMs(): number | undefined {
    let earliest: number | undefined;
    for (const timer of this.pending.values()) {
      if (earliest === undefined || timer.dueMs < earliest) earliest = timer.dueMs;
    }
    return earliest;
  }

  /**
   * Returns the timers that may fire now: those due at the earliest due
   * time, if that time has come, in the order they were set.
   */
  dueTimers(): SimulatedTimer[] {
    const earliest = this.nextDueMs();
    if (earliest === undefined || earliest > this.nowMs) return [];
    const due: SimulatedTimer[] = [];
    for (const timer of this.pending.values()) {
      if (timer.dueMs === earliest) due.push(timer);
    }
    return due.sort((a, b) => a.id - b.id);
  }

  /** Removes a due timer and calls its callback. */
  fire(timer: SimulatedTimer): void {
    if (!this.pending.delete(timer.id)) return;
    timer.callback();
  }

  /**
   * Moves virtual time forward to `timeMs`.
   * @throws RangeError when `timeMs` lies in the past or is not finite.
   */
  advanceTo(timeMs: number): void {
    if (!Number.isFinite(timeMs) || timeMs < this.nowMs) {
      throw new RangeError(`virtual time only moves forward: cannot go from ${this.nowMs} ms to ${String(timeMs)} ms`);
    }
    this.nowMs = timeMs;
  }
}
