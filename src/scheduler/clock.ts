/**
 * The clock seam. The runtime reads time and sets timers only through a
 * `Clock`, so a simulated clock can drive it on virtual time.
 */

/** An opaque timer handle returned by `Clock.setTimer`. */
export interface TimerHandle {
  readonly __timerHandle: unique symbol;
}

export interface Clock {
  /** Monotonic milliseconds since an arbitrary origin. */
  now(): number;
  /** Calls `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; does nothing if it already fired or was cancelled. */
  clearTimer(handle: TimerHandle): void;
  /**
   * Sets whether a pending timer keeps the process alive (Node.js `ref`/`unref`).
   * Optional: a clock without a process, such as a simulated one, leaves it out.
   */
  setKeepAlive?(handle: TimerHandle, keepAlive: boolean): void;
}

/** Wall-clock timers and `performance.now()`. Timers keep the process alive, as an ask caller expects. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => setTimeout(callback, delayMs) as unknown as TimerHandle,
  clearTimer: (handle) => {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
  setKeepAlive: (handle, keepAlive) => {
    const timeout = handle as unknown as NodeJS.Timeout;
    if (keepAlive) timeout.ref();
    else timeout.unref();
  },
};

/** A source of uniformly distributed numbers in [0, 1), the only randomness the runtime uses. */
export type RandomSource = () => number;
